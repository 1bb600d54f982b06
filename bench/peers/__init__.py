"""Other systems the bench compares provgraph with (``--peer``), each installed apart."""
