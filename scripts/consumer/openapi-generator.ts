// Runs openapi-generator's CLI (the jar .ci/run fetches from Maven Central into .tools/lib) with its defaults and
// fails on the warnings that matter. What it logs is all we judge: with the logging set by
// openapi-generator-logback.xml, each warning comes with the code that logged it.
//
// Ignored, because they say nothing about our document:
// - "OpenAPI 3.1 support is still in beta": printed for every 3.1 document.
// - "Failed to get the schema name: null" when logged from ExamplesUtils.unaliasExamples or
//   AbstractPythonCodegen.toDefaultValue (7.25.0): both pass the `$ref` of an inline example or schema to
//   ModelUtils.getSimpleRef before checking that there is one, so every inline example and every schema that is
//   not a reference logs it; both then go on with the inline value (read in their bytecode). Output is unchanged.
// Everything else at WARN or ERROR fails the step, including that same message from any other caller (a
// reference the generator cannot follow) and "Failed to get the schema name: <ref>" (a reference outside
// #/components). The generator's once-only logging is turned off so that no second cause hides behind a first.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { root, runCommand } from './tools.js';

export const generatorVersion = '7.25.0';
const jar = join(process.env.TOOLS_LIB ?? join(root, '.tools/lib'), `openapi-generator-cli-${generatorVersion}.jar`);

const harmless = [
  /^WARN {2}DefaultCodegen - OpenAPI 3\.1 support is still in beta\./,
  /^WARN {2}ModelUtils - Failed to get the schema name: null\n.*\nCaller\+1\s+at org\.openapitools\.codegen\.(utils\.ExamplesUtils\.unaliasExamples|languages\.AbstractPythonCodegen\.toDefaultValue)\(/,
];

/** Generates a client with openapi-generator's defaults; throws on a failed run or a warning that matters. */
export async function openapiGenerator(generator: string, spec: string, output: string): Promise<void> {
  if (!existsSync(jar)) throw new Error(`${jar} is missing: .ci/run fetches it (see the README: "For consumers")`);
  let log = '';
  const code = await runCommand(
    'java',
    [
      `-Dlogback.configurationFile=${join(root, 'scripts/consumer/openapi-generator-logback.xml')}`,
      '-Dorg.openapitools.codegen.utils.oncelogger.enabled=false',
      ...['-jar', jar, 'generate', '-g', generator, '-i', spec, '-o', output],
    ],
    { quiet: true, onOutput: (chunk) => (log += chunk) },
  );
  // Each record starts with its level; the caller lines that follow belong to it.
  const records = log.split(/\n(?=(?:WARN|ERROR) )/).filter((record) => /^(WARN|ERROR) /.test(record));
  const matter = records.filter((record) => !harmless.some((pattern) => pattern.test(record)));
  const ignored = records.length - matter.length;
  console.log(`openapi-generator ${generator}: exit ${code}, ${records.length} warnings, ${ignored} known harmless`);
  if (code !== 0 || matter.length > 0) {
    throw new Error(
      `openapi-generator ${generator} exited with ${code} and ${matter.length} warnings that matter:\n` +
        `${matter.map((record) => record.trim()).join('\n')}\n${code !== 0 ? log.slice(-3000) : ''}`,
    );
  }
}
