// Checks that an SDK generator gave our schemas typed models, not untyped maps or Any: the generated source must
// declare a model for each schema below, and no field of it may be typed as "anything".
import { readFileSync } from 'node:fs';

/** The schemas every SDK must model: the resources, the problem, and the pages. */
export const modelledSchemas = ['Store', 'Item', 'Tag', 'Problem', 'StoreList', 'ItemList', 'TagList'];

/** A field of a model and the type the generator gave it. */
type Field = [name: string, type: string];

/** Fields of each attrs class `class Name:` in openapi-python-client's models (one file per model). */
function pythonFields(modelsFolder: string, schema: string): Field[] | undefined {
  const source = pythonModule(modelsFolder, schema);
  if (source === undefined) return undefined;
  const body = source.split(`\nclass ${schema}:\n`)[1]?.split('\n    def ')[0];
  if (body === undefined) return undefined;
  return [...body.matchAll(/^ {4}(\w+): ([^=\n]+?)(?: =.*)?$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']);
}

/** Fields of each `type Name struct { ... }` in oapi-codegen's single output file. */
function goFields(source: string, schema: string): Field[] | undefined {
  const body = source.split(`\ntype ${schema} struct {\n`)[1]?.split('\n}\n')[0];
  if (body === undefined) return undefined;
  return [...body.matchAll(/^\t(\w+) (\S+) `json:/gm)].map((m) => [m[1] ?? '', m[2] ?? '']);
}

function problems(language: string, fieldsOf: (schema: string) => Field[] | undefined, untyped: RegExp): string[] {
  const found: string[] = [];
  for (const schema of modelledSchemas) {
    const fields = fieldsOf(schema);
    if (fields === undefined || fields.length === 0) {
      found.push(`${language}: no typed model for ${schema}`);
      continue;
    }
    for (const [name, type] of fields) {
      if (untyped.test(type)) found.push(`${language}: ${schema}.${name} is ${type}`);
    }
  }
  return found;
}

/**
 * What is wrong with the generated Python models (an empty list when all is well). attrs models keep unknown
 * members in `additional_properties: dict[str, Any]`, which is their design and not one of our fields.
 */
export function pythonModelProblems(modelsFolder: string): string[] {
  const fieldsOf = (schema: string) =>
    pythonFields(modelsFolder, schema)?.filter(([name]) => name !== 'additional_properties');
  const found = problems('Python', fieldsOf, /\bAny\b|\bdict\b|\bobject\b/);
  const price = pythonFields(modelsFolder, 'Item')?.find(([name]) => name === 'price')?.[1];
  if (price !== 'float') found.push(`Python: Item.price is ${price}, not float`);
  return found;
}

/** What is wrong with the generated Go models (an empty list when all is well). */
export function goModelProblems(sourceFile: string): string[] {
  const source = readFileSync(sourceFile, 'utf8');
  const found = problems('Go', (schema) => goFields(source, schema), /interface\{\}|\bany\b|map\[/);
  if (!/^type Price = float64$/m.test(source)) found.push('Go: Price is not float64');
  return found;
}

/** Fields of a pydantic model `class Name(BaseModel):` in openapi-generator's `python` models (one file each). */
function pydanticFields(modelsFolder: string, schema: string): Field[] | undefined {
  const source = pythonModule(modelsFolder, schema);
  if (source === undefined) return undefined;
  const body = source.split(`\nclass ${schema}(BaseModel):\n`)[1]?.split('\n    __properties')[0];
  if (body === undefined) return undefined;
  return [...body.matchAll(/^ {4}(\w+): (.+?) = Field\(/gm)].map((m) => [m[1] ?? '', m[2] ?? '']);
}

/** What is wrong with openapi-generator's `python` models (an empty list when all is well). */
export function pydanticModelProblems(modelsFolder: string): string[] {
  const fieldsOf = (schema: string) => pydanticFields(modelsFolder, schema);
  const found = problems('openapi-generator python', fieldsOf, /\bAny\b|\bDict\[|\bdict\b|\bobject\b/);
  const price = fieldsOf('Item')?.find(([name]) => name === 'price')?.[1];
  if (!price?.includes('float')) found.push(`openapi-generator python: Item.price is ${price}, not a float`);
  return found;
}

/** Fields of `export interface Name { ... }` in openapi-generator's `typescript-fetch` models (one file each). */
function typescriptFields(modelsFolder: string, schema: string): Field[] | undefined {
  let source: string;
  try {
    source = readFileSync(`${modelsFolder}/${schema}.ts`, 'utf8');
  } catch {
    return undefined;
  }
  const body = source.split(`\nexport interface ${schema} {\n`)[1]?.split('\n}\n')[0];
  if (body === undefined) return undefined;
  return [...body.matchAll(/^ {4}(\w+)\??: (.+);$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']);
}

/** What is wrong with openapi-generator's `typescript-fetch` models (an empty list when all is well). */
export function typescriptFetchModelProblems(modelsFolder: string): string[] {
  const fieldsOf = (schema: string) => typescriptFields(modelsFolder, schema);
  const found = problems('typescript-fetch', fieldsOf, /\bany\b|\bobject\b|\[key: string\]/);
  const price = fieldsOf('Item')?.find(([name]) => name === 'price')?.[1];
  if (price !== 'number') found.push(`typescript-fetch: Item.price is ${price}, not number`);
  return found;
}

/** The source of a schema's module in a Python client (`StoreList` in `store_list.py`), or undefined if none. */
function pythonModule(modelsFolder: string, schema: string): string | undefined {
  try {
    return readFileSync(`${modelsFolder}/${schema.replace(/(?<!^)([A-Z])/g, '_$1').toLowerCase()}.py`, 'utf8');
  } catch {
    return undefined;
  }
}
