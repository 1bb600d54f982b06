// Reads {queries: [{name, text, parameters}], labels, relationshipTypes} on stdin and runs
// Neo4j's lintCypherQuery on each query. Prints every diagnostic; exits 1 if there are any.
import { readFileSync } from "node:fs";
import { lintCypherQuery } from "@neo4j-cypher/language-support";

const input = JSON.parse(readFileSync(0, "utf8"));
let problems = 0;
for (const q of input.queries) {
  const { diagnostics } = lintCypherQuery(q.text, {
    parameters: q.parameters,
    labels: input.labels,
    relationshipTypes: input.relationshipTypes,
  });
  for (const d of diagnostics) {
    problems += 1;
    const pos = d.range ? `${d.range.start.line + 1}:${d.range.start.character + 1}` : "?";
    console.log(`${q.name}.cypher:${pos}: ${d.severity === 1 ? "error" : "warning"}: ${d.message}`);
  }
}
console.log(`cypher lint: ${input.queries.length} queries, ${problems} diagnostics`);
process.exit(problems === 0 ? 0 : 1);
