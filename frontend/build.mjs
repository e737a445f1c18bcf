// Builds the card into one minified ES module for the integration to serve.
// `node build.mjs [outfile]`: the default is the committed bundle; scripts/test
// builds into a temporary file and compares the two byte for byte.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const integration = resolve(here, "../custom_components/auto_home");
const outfile = resolve(process.argv[2] ?? `${integration}/frontend/auto-home-card.js`);
// The card's texts come from the integration's own translation files: their
// `card` section, and the names of sites, fever classes and chore statuses the
// entities already use. One source serves both; the bundle needs no fetch.
const LANGUAGES = ["en", "zh-Hans"];

const cardStrings = {
  name: "card-strings",
  setup(context) {
    context.onResolve({ filter: /^card-strings$/ }, () => ({
      path: "card-strings",
      namespace: "card-strings",
    }));
    context.onLoad({ filter: /.*/, namespace: "card-strings" }, () => {
      const strings = {};
      for (const language of LANGUAGES) {
        const file = `${integration}/translations/${language}.json`;
        const texts = JSON.parse(readFileSync(file, "utf8"));
        strings[language] = {
          ...texts.card,
          site: texts.selector.temperature_site.options,
          class: texts.entity.sensor.fever_status.state,
          status: texts.selector.chore_status.options,
        };
      }
      return { contents: JSON.stringify(strings), loader: "json" };
    });
  },
};

await build({
  entryPoints: [resolve(here, "src/auto-home-card.ts")],
  outfile,
  bundle: true,
  format: "esm",
  target: "es2021",
  minify: true,
  sourcemap: false,
  legalComments: "none",
  charset: "utf8",
  logLevel: "warning",
  plugins: [cardStrings],
});
