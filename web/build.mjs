// Builds provgraph's pages into ../src/provgraph/web/static (committed, shipped in the wheel).
// Inputs: package-lock.json (exact npm versions), build.mjs, src/**. BUILD.json records their
// SHA-256 so that tests/unit/test_web_assets.py can tell when the committed build is stale.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync, writeFileSync, mkdirSync, copyFileSync } from "node:fs";
import { join, relative, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "src", "provgraph", "web", "static");
mkdirSync(out, { recursive: true });

function files(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : [path];
    });
}

export function inputsDigest() {
  const hash = createHash("sha256");
  for (const path of ["package-lock.json", "build.mjs", ...files(join(here, "src")).map((p) => relative(here, p))]) {
    hash.update(path.split("\\").join("/") + "\0");
    hash.update(readFileSync(join(here, path)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

const common = {
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  legalComments: "linked",
  logLevel: "warning",
  define: { "process.env.NODE_ENV": '"production"' },
};

await esbuild.build({
  ...common,
  entryPoints: {
    graphiql: join(here, "src", "graphiql.ts"),
    explorer: join(here, "src", "explorer.ts"),
  },
  outdir: out,
});
for (const page of ["graphiql.html", "explorer.html"]) {
  copyFileSync(join(here, "src", page), join(out, page));
}
const lock = JSON.parse(readFileSync(join(here, "package-lock.json"), "utf8"));
const versions = Object.fromEntries(
  ["graphiql", "react", "react-dom", "graphql-ws", "cytoscape", "esbuild"].map((name) => [
    name,
    lock.packages[`node_modules/${name}`]?.version,
  ]),
);
writeFileSync(
  join(out, "BUILD.json"),
  JSON.stringify({ inputs_sha256: inputsDigest(), versions }, null, 2) + "\n",
);
console.log("built", out);
