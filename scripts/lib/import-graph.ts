// The project's import graph, read with its own TypeScript compiler: every file the tsconfig
// includes, and for each the project files it imports. Module names are resolved by the compiler
// with the project's options, so a path is what tsc would load, not a guess from the text.
// `import type`, `export … from`, `require('…')`, `import('…')` and `typeof import('…')` all count:
// a type-only import still ties the two files' designs together, which is what the layers are about.
import { dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';

/** file (relative to the root, with /) → the project files it imports. */
export type ImportGraph = Map<string, Set<string>>;

export function importGraph(root: string): ImportGraph {
  const configFile = join(root, 'tsconfig.json');
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  if (read.error) throw new Error(`${configFile}: ${ts.flattenDiagnosticMessageText(read.error.messageText, '\n')}`);
  const config = ts.parseJsonConfigFileContent(read.config, ts.sys, root);
  const host = ts.createCompilerHost(config.options);
  const rel = (file: string) => relative(root, file).split(sep).join('/');
  const graph: ImportGraph = new Map();
  for (const file of config.fileNames) {
    const source = ts.createSourceFile(file, ts.sys.readFile(file) ?? '', ts.ScriptTarget.Latest, true);
    const targets = new Set<string>();
    for (const name of moduleNames(source)) {
      const resolved = ts.resolveModuleName(name, file, config.options, host).resolvedModule;
      // Packages (node_modules) are outside the layers; only the project's own files count.
      if (!resolved || resolved.isExternalLibraryImport || !resolved.resolvedFileName.startsWith(root + sep)) continue;
      targets.add(rel(resolved.resolvedFileName));
    }
    graph.set(rel(file), targets);
  }
  return graph;
}

/** Every module name the file names in an import, re-export, require, import() or import type. */
export function moduleNames(source: ts.SourceFile): string[] {
  const names: string[] = [];
  const literal = (node: ts.Node | undefined) => {
    if (node && ts.isStringLiteralLike(node)) names.push(node.text);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) literal(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) literal(node.moduleReference.expression);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) literal(node.argument.literal);
    else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) literal(node.arguments[0]);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

/** The folder a file's layer is named by: `support/report/x.ts` → `support/report`. */
export const folderOf = (file: string): string => dirname(file);
