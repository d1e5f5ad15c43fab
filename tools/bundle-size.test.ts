import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { dynamicImports, entryScripts, measure, staticImports } from './bundle-size';

describe('bundle-size', () => {
  it('finds the module entry scripts of index.html, not classic scripts or preloads', () => {
    const html = `<script type="module" crossorigin src="/assets/index-a.js"></script>
      <script src="/legacy.js"></script><link rel="modulepreload" href="/assets/r3f-b.js">`;
    expect(entryScripts(html)).toEqual(['assets/index-a.js']);
  });

  it('tells static imports from dynamic ones in minified output', () => {
    const code =
      'import{a as b}from"./react-x.js";import"./side-y.js";export{c}from"./re-z.js";' +
      'const l=()=>import("./charts-q.js");function f(){}import{d}from"./three-t.js"';
    expect(staticImports(code).sort()).toEqual(['./re-z.js', './react-x.js', './side-y.js', './three-t.js']);
    expect(dynamicImports(code)).toEqual(['./charts-q.js']);
  });

  it('counts the entry and what it imports statically, transitively and once, and lists the rest apart', () => {
    const files: Record<string, string> = {
      'assets/index-a.js': 'import"./react-b.js";import"./three-c.js";const t=()=>import("./charts-d.js");',
      'assets/react-b.js': 'import"./three-c.js";export const r=1;',
      'assets/three-c.js': 'export const t=' + '1'.repeat(500),
      'assets/charts-d.js': 'export const c=2;',
      'assets/engine.worker-e.js': 'self.onmessage=()=>{}',
    };
    const report = measure(
      '<script type="module" src="/assets/index-a.js"></script>',
      (p) => Buffer.from(files[p]),
      () => Object.keys(files),
    );
    expect(report.initial.map((c) => c.file)).toEqual(['assets/index-a.js', 'assets/react-b.js', 'assets/three-c.js']);
    const gz = (p: string) => gzipSync(Buffer.from(files[p])).length;
    expect(report.initialGzip).toBe(gz('assets/index-a.js') + gz('assets/react-b.js') + gz('assets/three-c.js'));
    expect(report.deferred.map((c) => c.file)).toEqual(['assets/charts-d.js', 'assets/engine.worker-e.js']);
  });
});
