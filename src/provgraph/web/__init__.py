"""provgraph's pages (GraphiQL, the lineage explorer): built from web/ by npm, shipped in the
wheel under static/, served by provgraph itself with no CDN."""
