// Validates every GraphQL document the explorer sends against ../schema.graphql (the exported
// SDL), so that a schema change that would break the explorer fails here rather than in a
// browser. Documents for optional features (the runs list, sessions, search: detected by
// introspection at run time) are checked only when the schema has their root field.
// usage: node check-queries.mjs [schema.graphql]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { buildSchema, parse, validate } from "graphql";

const here = dirname(fileURLToPath(import.meta.url));
const schemaPath = process.argv[2] ?? join(here, "..", "schema.graphql");
const schema = buildSchema(readFileSync(schemaPath, "utf8"));
const bundled = await esbuild.build({
  stdin: {
    contents: ["run", "diff", "tasks", "runs"].map((v) => `export * as ${v} from "./src/explorer/views/${v}";`).join("\n") +
      '\nexport * as gql from "./src/explorer/gql";',
    resolveDir: here,
    loader: "ts",
  },
  bundle: true,
  platform: "node",
  format: "esm",
  write: false,
  logLevel: "error",
});
const scratch = mkdtempSync(join(tmpdir(), "explorer-queries-"));
const bundle = join(scratch, "queries.mjs");
writeFileSync(bundle, bundled.outputFiles[0].text);
let mod;
try {
  mod = await import(bundle);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const docs = [];
for (const [file, exports] of Object.entries(mod)) {
  for (const [name, value] of Object.entries(exports)) {
    if (typeof value === "string" && /^\s*(query|subscription|mutation|\{)/.test(value)) docs.push([`${file}.${name}`, value]);
  }
}
docs.push(["run.subgraphQuery(light)", mod.run.subgraphQuery(true)], ["run.subgraphQuery(full)", mod.run.subgraphQuery(false)]);
const optional = { "runs.RUNS": "runs", "runs.SESSIONS": "sessions", "runs.SEARCH": "search" };
const roots = new Set(Object.keys(schema.getQueryType().getFields()));
let failed = 0;
for (const [name, text] of docs) {
  if (optional[name] && !roots.has(optional[name])) {
    console.log(`skip ${name} (no ${optional[name]} in this schema)`);
    continue;
  }
  const errors = validate(schema, parse(text));
  if (errors.length) {
    failed += 1;
    console.log(`FAIL ${name}: ${errors.map((e) => e.message).join("; ")}`);
  } else console.log(`ok   ${name}`);
}
if (failed) process.exit(1);
