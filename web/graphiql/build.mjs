// Builds the browser assets the service serves itself, so that GraphiQL and
// the /demo page work with no network beyond the API: `npm ci && npm run build`.
//
//   ../static/graphiql/  GraphiQL (React, Monaco and its three workers), CSS
//   ../static/vendor/    the graphql-ws client, as an ES module for /demo
//
// Each output folder gets a LICENSES.txt naming every npm package bundled
// into it, with that package's licence text, read from esbuild's metafile.
import { build } from "esbuild";
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const staticDir = join(here, "..", "static");

const common = {
  bundle: true,
  minify: true,
  legalComments: "none", // the licences go to LICENSES.txt instead
  metafile: true,
  logLevel: "warning",
  target: ["es2022"],
  define: { "process.env.NODE_ENV": '"production"' },
  // Monaco's own CSS refers to its icon font; GraphiQL's CSS inlines fonts.
  loader: { ".ttf": "dataurl" },
};

// Monaco runs language services in Web Workers: one bundle per worker,
// loaded by graphiql.js from the folder it was itself loaded from.
const workers = {
  "editor.worker": "monaco-editor/esm/vs/editor/editor.worker.js",
  "json.worker": "monaco-editor/esm/vs/language/json/json.worker.js",
  "graphql.worker": "monaco-graphql/esm/graphql.worker.js",
};

// "node_modules/a/node_modules/@scope/name/dist/x.js" -> that package's folder
function packageFolder(input) {
  const parts = input.split(/[\\/]/);
  const at = parts.lastIndexOf("node_modules");
  if (at < 0) return null;
  const length = parts[at + 1].startsWith("@") ? 3 : 2;
  return join(here, ...parts.slice(0, at + length));
}

function licenceText(folder, pkg) {
  const file = readdirSync(folder).find((entry) => /^(licen[cs]e|copying)/i.test(entry));
  if (file) return readFileSync(join(folder, file), "utf8").trim();
  const author = typeof pkg.author === "string" ? pkg.author : pkg.author?.name;
  return `The package ships no licence file; its package.json declares ${pkg.license}` +
    (author ? `, author ${author}.` : ".");
}

function writeLicences(outdir, metafiles, title) {
  const sections = new Map(); // "name@version" -> text, sorted below
  for (const metafile of metafiles)
    for (const input of Object.keys(metafile.inputs)) {
      const folder = packageFolder(input);
      if (!folder) continue;
      const pkg = JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
      const id = `${pkg.name}@${pkg.version}`;
      if (!sections.has(id))
        sections.set(
          id,
          `${"=".repeat(78)}\n${id} (${pkg.license})\n${"=".repeat(78)}\n\n${licenceText(folder, pkg)}\n`,
        );
    }
  const header =
    `${title}\n\nBuilt by web/graphiql (npm ci && npm run build) from these npm packages,\n` +
    `each under the licence that follows its name.\n\n`;
  const ids = [...sections.keys()].sort();
  writeFileSync(join(outdir, "LICENSES.txt"), header + ids.map((id) => sections.get(id)).join("\n"));
}

function clean(outdir) {
  if (existsSync(outdir)) rmSync(outdir, { recursive: true });
}

async function buildGraphiQL() {
  const outdir = join(staticDir, "graphiql");
  clean(outdir);
  const page = await build({
    ...common,
    entryPoints: { graphiql: join(here, "src", "graphiql.jsx") },
    outdir,
    format: "esm",
    jsx: "automatic",
  });
  const workerBuilds = await Promise.all(
    Object.entries(workers).map(([name, entry]) =>
      build({ ...common, entryPoints: { [name]: entry }, outdir, format: "iife" }),
    ),
  );
  writeLicences(
    outdir,
    [page.metafile, ...workerBuilds.map((result) => result.metafile)],
    "Third-party software in web/static/graphiql/",
  );
}

async function buildVendor() {
  const outdir = join(staticDir, "vendor");
  clean(outdir);
  const client = await build({
    ...common,
    entryPoints: { "graphql-ws": "graphql-ws/client" },
    outdir,
    format: "esm",
    platform: "browser",
  });
  writeLicences(outdir, [client.metafile], "Third-party software in web/static/vendor/");
}

await buildGraphiQL();
await buildVendor();
for (const folder of ["graphiql", "vendor"])
  for (const file of readdirSync(join(staticDir, folder)))
    console.log(`${join("web", "static", folder, file).split(sep).join("/")}`);
