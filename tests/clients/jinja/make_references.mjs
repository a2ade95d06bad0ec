// Renders the five chat templates of the test data over the conversations of extra_cases.mjs
// with @huggingface/jinja (pinned in package-lock.json), the independent Jinja implementation
// the C++ interpreter (src/text/jinja) is compared with, and writes the references as JSON.
//
// Usage: node make_references.mjs CHAT_TEMPLATES_DIR OUT_JSON
//   CHAT_TEMPLATES_DIR: the unpacked tests/data/chat-templates.tar.xz (the build's
//   test-data/chat-templates); OUT_JSON: tests/unit/text/jinja/extra_renderings.json to
//   refresh it, or any file to compare with it (check_references.sh).

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { Template } from "@huggingface/jinja";

import { cases } from "./extra_cases.mjs";

const TEMPLATES = ["llama3", "llama3_1", "gemma3", "deepseek_v3", "qwen3"];

const [templatesDir, outFile] = process.argv.slice(2);
if (!templatesDir || !outFile) {
  console.error("usage: node make_references.mjs CHAT_TEMPLATES_DIR OUT_JSON");
  process.exit(2);
}

// The package does not export its package.json: read the installed copy's version directly.
const version = JSON.parse(
  readFileSync(new URL("./node_modules/@huggingface/jinja/package.json", import.meta.url), "utf8"),
).version;

// A special token as a plain string: an AddedToken object gives its content, none gives "".
function tokenText(token) {
  if (typeof token === "string") return token;
  if (token && typeof token === "object" && typeof token.content === "string") return token.content;
  return "";
}

const references = [];
for (const name of TEMPLATES) {
  const configFile = join(templatesDir, name, "tokenizer_config.json");
  const config = JSON.parse(readFileSync(configFile, "utf8"));
  const template = new Template(config.chat_template);
  for (const testCase of cases) {
    if (testCase.templates && !testCase.templates.includes(name)) continue;
    const context = {
      ...testCase.context,
      bos_token: tokenText(config.bos_token),
      eos_token: tokenText(config.eos_token),
    };
    let rendered = null;
    let error = null;
    try {
      rendered = template.render(structuredClone(context));
    } catch (e) {
      error = e.message;
    }
    references.push({ template: name, conversation: testCase.name, context, rendered, error });
  }
}

const output = { renderer: `@huggingface/jinja ${version}`, cases: references };
writeFileSync(outFile, JSON.stringify(output, null, 1) + "\n");
console.log(`${references.length} references written to ${outFile}`);
