# provgraph for production: talks to Neo4j 5 (PROVGRAPH_NEO4J_URI); no embedded engine inside.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md schema.graphql ./
COPY src ./src
COPY cypher ./cypher
RUN pip install --no-cache-dir build && python -m build --wheel --outdir /dist

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 provgraph
COPY --from=build /dist/*.whl /tmp/
RUN pip install --no-cache-dir /tmp/*.whl && rm /tmp/*.whl
USER provgraph
ENV PROVGRAPH_HOST=0.0.0.0 PROVGRAPH_PORT=8000
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/readyz').status == 200 else 1)"
ENTRYPOINT ["provgraph", "serve"]
