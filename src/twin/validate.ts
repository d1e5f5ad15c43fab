/**
 * Load-time validation of a twin document: JSON syntax, the schema, then references between parts.
 * Every problem carries a JSON path ("$.bindings[2].signal") so the page and the CLI can point at it.
 * Nothing of a document with problems is applied: callers get either a Twin or a list of problems.
 */
import type { z } from 'zod';
import { twinSchema, type Twin } from './schema';
import { parseTopicPattern, captureNames, filterCovers } from '../lib/topicPattern';
import { placeholders, templateMatcher } from './signalIds';
import { parseCondition } from './condition';

export interface TwinProblem {
  /** JSON path of the offending value, "$" for the whole document. */
  path: string;
  message: string;
}

export type TwinResult = { ok: true; twin: Twin } | { ok: false; problems: TwinProblem[] };

export function jsonPath(segments: readonly PropertyKey[]): string {
  let out = '$';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (typeof s === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s)) out += `.${s}`;
    else out += `[${JSON.stringify(String(s))}]`;
  }
  return out;
}

/** Parses and validates twin JSON text. */
export function validateTwinText(text: string): TwinResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { ok: false, problems: [{ path: '$', message: describeJsonError(text, err) }] };
  }
  return validateTwin(doc);
}

/** Validates an already-parsed document. */
export function validateTwin(doc: unknown): TwinResult {
  const parsed = twinSchema.safeParse(doc);
  if (!parsed.success) return { ok: false, problems: schemaProblems(parsed.error) };
  const problems = referenceProblems(parsed.data);
  return problems.length ? { ok: false, problems } : { ok: true, twin: parsed.data };
}

function schemaProblems(error: z.ZodError): TwinProblem[] {
  const out: TwinProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: jsonPath([...issue.path, key]), message: 'unknown field' });
    } else {
      out.push({ path: jsonPath(issue.path), message: issue.message });
    }
  }
  return out;
}

function describeJsonError(text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const at = /position (\d+)/.exec(message);
  if (!at) return `not valid JSON: ${message}`;
  const pos = Number(at[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return `not valid JSON at line ${line}, column ${column}: ${message.replace(/ in JSON at position \d+.*$/, '')}`;
}

function duplicateIds(items: readonly { id: string }[], where: string, problems: TwinProblem[]): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const first = seen.get(item.id);
    if (first !== undefined) {
      problems.push({ path: jsonPath([where, i, 'id']), message: `duplicate id "${item.id}" (first at $.${where}[${first}])` });
    } else seen.set(item.id, i);
  });
}

function referenceProblems(twin: Twin): TwinProblem[] {
  const problems: TwinProblem[] = [];
  duplicateIds(twin.assets, 'assets', problems);
  duplicateIds(twin.signals, 'signals', problems);
  duplicateIds(twin.rules, 'rules', problems);
  duplicateIds(twin.views, 'views', problems);
  duplicateIds(twin.commands, 'commands', problems);

  const filters = twin.connection.subscribe.map((s) => (typeof s === 'string' ? s : s.topic));
  filters.forEach((filter, i) => {
    const parsed = parseTopicPattern(filter);
    if (!parsed.ok || /\+[^/]/.test(filter)) {
      problems.push({
        path: jsonPath(['connection', 'subscribe', i]),
        message: parsed.ok ? 'subscription filters use plain "+" (captures belong in signal topics)' : parsed.error,
      });
    }
  });

  twin.signals.forEach((signal, i) => {
    const parsed = parseTopicPattern(signal.topic);
    if (!parsed.ok) {
      problems.push({ path: jsonPath(['signals', i, 'topic']), message: parsed.error });
      return;
    }
    const captured = new Set(captureNames(parsed.levels));
    for (const name of placeholders(signal.id)) {
      if (!captured.has(name)) {
        problems.push({
          path: jsonPath(['signals', i, 'id']),
          message: `"{${name}}" is not captured by the topic (write "+${name}" in the topic)`,
        });
      }
    }
    if (!filters.some((f) => filterCovers(f, signal.topic))) {
      problems.push({
        path: jsonPath(['signals', i, 'topic']),
        message: `no subscription in $.connection.subscribe covers "${signal.topic}"`,
      });
    }
    if (signal.path !== undefined && signal.decoder !== 'json') {
      problems.push({ path: jsonPath(['signals', i, 'path']), message: `a path needs the json decoder, not "${signal.decoder}"` });
    }
    if (signal.range && signal.range[0] >= signal.range[1]) {
      problems.push({ path: jsonPath(['signals', i, 'range']), message: 'range must be [low, high] with low < high' });
    }
  });

  const matchers = twin.signals.map((s) => templateMatcher(s.id));
  const knownSignal = (idText: string) => matchers.some((m) => m(idText));
  const assetIds = new Set(twin.assets.map((a) => a.id));
  const checkNode = (node: string, path: PropertyKey[]) => {
    const asset = node.split('/')[0];
    if (!assetIds.has(asset)) {
      problems.push({ path: jsonPath(path), message: `unknown asset "${asset}" (assets: ${[...assetIds].join(', ') || 'none'})` });
    }
  };

  twin.bindings.forEach((binding, i) => {
    if (!knownSignal(binding.signal)) {
      problems.push({ path: jsonPath(['bindings', i, 'signal']), message: `unknown signal "${binding.signal}"` });
    }
    checkNode(binding.node, ['bindings', i, 'node']);
    const effect = binding.effect;
    if (effect.kind === 'colorThresholds' || effect.kind === 'colorRamp') {
      for (let s = 1; s < effect.stops.length; s++) {
        if (effect.stops[s][0] <= effect.stops[s - 1][0]) {
          problems.push({ path: jsonPath(['bindings', i, 'effect', 'stops', s]), message: 'stops must be in increasing order of value' });
        }
      }
    }
    if (effect.kind === 'scale' && effect.range[0] === effect.range[1]) {
      problems.push({ path: jsonPath(['bindings', i, 'effect', 'range']), message: 'range needs two different values' });
    }
  });

  twin.rules.forEach((rule, i) => {
    const parsed = parseCondition(rule.when);
    if (!parsed.ok) {
      problems.push({ path: jsonPath(['rules', i, 'when']), message: `${parsed.error} at character ${parsed.position + 1}` });
    } else if (!knownSignal(parsed.condition.signal)) {
      problems.push({ path: jsonPath(['rules', i, 'when']), message: `unknown signal "${parsed.condition.signal}"` });
    }
    if (rule.asset !== undefined) checkNode(rule.asset, ['rules', i, 'asset']);
  });

  twin.panels.forEach((panel, i) => {
    panel.signals.forEach((s, j) => {
      if (!knownSignal(s)) problems.push({ path: jsonPath(['panels', i, 'signals', j]), message: `unknown signal "${s}"` });
    });
  });

  return problems;
}
