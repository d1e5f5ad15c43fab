/**
 * Load-time validation of a twin document: JSON syntax, the schema, then references between parts.
 * Every problem carries a JSON path ("$.bindings[2].signal") so the page and the CLI can point at it.
 * Nothing of a document with problems is applied: callers get either a Twin or a list of problems.
 */
import type { z } from 'zod';
import { HTTP_TOPIC_PREFIX, twinSchema, type Twin } from './schema';
import { parseTopicPattern, captureNames, filterCovers } from '../lib/topicPattern';
import { parseValuePath } from '../lib/valuePath';
import { parseDuration } from '../lib/duration';
import { placeholders, templateMatcher } from './signalIds';
import { parseCondition } from './condition';
import { parseNodePath } from '../scene/nodeNames';

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
  // A byte-order mark (some Windows editors write one) is not JSON; fetch() drops it, readFile does not.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
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
  const parsed = twinSchema.safeParse(doc, { error: issueMessage });
  if (!parsed.success) return { ok: false, problems: schemaProblems(parsed.error) };
  const problems = referenceProblems(parsed.data);
  return problems.length ? { ok: false, problems } : { ok: true, twin: parsed.data };
}

type Issue = z.core.$ZodIssue;

/** Clearer wording than zod's defaults where those are generic; undefined keeps zod's own. */
function issueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'required field is missing';
  if (issue.code !== 'invalid_union') return undefined;
  const raw = issue as z.core.$ZodRawIssue & { discriminator?: string; options?: unknown[] };
  if (raw.discriminator !== undefined && Array.isArray(raw.options)) {
    const tag = isRecord(issue.input) ? issue.input[raw.discriminator] : undefined;
    const options = raw.options.map(String).join(', ');
    return tag === undefined
      ? `missing "${raw.discriminator}": expected one of ${options}`
      : `unknown ${raw.discriminator} ${JSON.stringify(tag)}: expected one of ${options}`;
  }
  // A plain union where no option had the right type: name the types it takes.
  const expected = new Set<string>();
  for (const branch of issue.errors) {
    const root = branch.length === 1 && branch[0].path.length === 0 ? branch[0] : null;
    if (root?.code === 'invalid_type') expected.add(root.expected === 'tuple' ? 'array' : root.expected);
    else if (root?.code === 'invalid_value') for (const v of root.values) expected.add(typeName(v));
    else return undefined;
  }
  return `expected ${[...expected].join(' or ')}, received ${typeName(issue.input)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** An option of a union that failed only below its root: the value had its type, so its issues say what is wrong. */
function typeMatched(branch: readonly Issue[]): boolean {
  return (
    branch.length > 0 &&
    branch.every((i) => i.path.length > 0 || (i.code !== 'invalid_type' && i.code !== 'invalid_value'))
  );
}

function schemaProblems(error: z.ZodError): TwinProblem[] {
  const out: TwinProblem[] = [];
  const seen = new Set<string>();
  const add = (path: PropertyKey[], message: string) => {
    const problem = { path: jsonPath(path), message };
    const key = `${problem.path}\n${message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(problem);
    }
  };
  const visit = (issue: Issue, prefix: PropertyKey[]) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add([...path, key], `unknown field "${key}"`);
      return;
    }
    if (issue.code === 'invalid_union') {
      // When exactly one option of a union had the value's type, that option's problems are the useful ones.
      const matched = issue.errors.filter(typeMatched);
      if (matched.length === 1) {
        for (const inner of matched[0]) visit(inner, path);
        return;
      }
    }
    add(path, issue.message);
  };
  for (const issue of error.issues) visit(issue, []);
  return out;
}

function describeJsonError(text: string, err: unknown): string {
  // Engines word JSON errors differently and not all give a position (Node 20: "Unexpected token"),
  // so the position and wording come from a small scanner; the engine's message is the fallback.
  const found = findJsonError(text);
  if (found) {
    const { line, column } = lineColumn(text, found.position);
    return `not valid JSON at line ${line}, column ${column}: ${found.message}`;
  }
  const message = err instanceof Error ? err.message : String(err);
  const at = /position (\d+)/.exec(message);
  if (!at) return `not valid JSON: ${message}`;
  const { line, column } = lineColumn(text, Number(at[1]));
  return `not valid JSON at line ${line}, column ${column}: ${message.replace(/ in JSON at position \d+.*$/, '')}`;
}

/** 1-based line and column of a character offset. */
function lineColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  return { line: before.split('\n').length, column: position - before.lastIndexOf('\n') };
}

class JsonSyntaxError {
  constructor(
    readonly message: string,
    readonly position: number,
  ) {}
}

/** The first syntax error in JSON text (RFC 8259) with its offset, or null when the scanner finds none. */
function findJsonError(text: string): { message: string; position: number } | null {
  let i = 0;
  const fail = (message: string, position = i): never => {
    throw new JsonSyntaxError(message, position);
  };
  const found = (position: number): string => {
    if (position >= text.length) return 'the end of the text';
    const word = /^[A-Za-z_$][\w$]*/.exec(text.slice(position, position + 40));
    return word ? JSON.stringify(word[0]) : JSON.stringify(text[position]);
  };
  const unexpected = (expected: string): never => {
    if (text[i] === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) fail('comments are not allowed in JSON');
    if (text[i] === "'") fail('strings must use double quotes');
    return fail(`expected ${expected}, found ${found(i)}`);
  };
  const space = () => {
    while (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r') i++;
  };
  const string = () => {
    const start = i++;
    for (;;) {
      if (i >= text.length) fail('unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c === 0x0a) fail('unterminated string (a line break inside a string)', start);
      if (c < 0x20) fail('control character in a string (write it as an escape such as \\t)');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape: expected four hex digits');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail(`bad escape "\\${e ?? ''}" in a string`);
      } else i++;
    }
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      space();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        if (text[i] !== '"') unexpected('a property name in double quotes');
        string();
        space();
        if (text[i] !== ':') unexpected('":" after the property name');
        i++;
        value();
        space();
        if (text[i] === '}') {
          i++;
          return;
        }
        if (text[i] !== ',') unexpected('"," or "}" after a property value');
        const comma = i++;
        space();
        if (text[i] === '}') fail('trailing comma: JSON does not allow "," before "}"', comma);
      }
    }
    if (c === '[') {
      i++;
      space();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        space();
        if (text[i] === ']') {
          i++;
          return;
        }
        if (text[i] !== ',') unexpected('"," or "]" after an array element');
        const comma = i++;
        space();
        if (text[i] === ']') fail('trailing comma: JSON does not allow "," before "]"', comma);
      }
    }
    if (c === '"') return string();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i) && !/[\w$]/.test(text[i + word.length] ?? '')) {
        i += word.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    if (number && !/[\w.$]/.test(text[i + number[0].length] ?? '')) {
      i += number[0].length;
      return;
    }
    if (c === '-' || (c >= '0' && c <= '9')) fail(`invalid number "${/^[-+\w.]*/.exec(text.slice(i, i + 40))?.[0]}"`);
    unexpected('a value');
  };
  try {
    value();
    space();
    if (i < text.length) unexpected('the end of the text after the JSON value');
    return null;
  } catch (err) {
    if (err instanceof JsonSyntaxError) return { message: err.message, position: err.position };
    return null; // e.g. nested too deeply for the scanner: the engine's message stands
  }
}

function duplicateIds(items: readonly { id: string }[], where: string, problems: TwinProblem[]): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const first = seen.get(item.id);
    if (first !== undefined) {
      problems.push({
        path: jsonPath([where, i, 'id']),
        message: `duplicate id "${item.id}" (first at $.${where}[${first}])`,
      });
    } else seen.set(item.id, i);
  });
}

function referenceProblems(twin: Twin): TwinProblem[] {
  const problems: TwinProblem[] = [];
  duplicateIds(twin.assets, 'assets', problems);
  duplicateIds(twin.signals, 'signals', problems);
  duplicateIds(twin.sources, 'sources', problems);
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
    for (const field of ['id', 'label'] as const) {
      for (const name of placeholders(signal[field] ?? '')) {
        if (!captured.has(name)) {
          problems.push({
            path: jsonPath(['signals', i, field]),
            message: `"{${name}}" is not captured by the topic (write "+${name}" in the topic)`,
          });
        }
      }
    }
    if (signal.topic.startsWith(HTTP_TOPIC_PREFIX)) {
      // An HTTP source, not a broker topic: it must name a declared source.
      const source = signal.topic.slice(HTTP_TOPIC_PREFIX.length);
      if (!twin.sources.some((s) => s.id === source))
        problems.push({ path: jsonPath(['signals', i, 'topic']), message: `no source "${source}" in $.sources` });
    } else if (!filters.some((f) => filterCovers(f, signal.topic))) {
      problems.push({
        path: jsonPath(['signals', i, 'topic']),
        message: `no subscription in $.connection.subscribe covers "${signal.topic}"`,
      });
    }
    if (signal.path !== undefined && signal.decoder !== 'json') {
      problems.push({
        path: jsonPath(['signals', i, 'path']),
        message: `a path needs the json decoder, not "${signal.decoder}"`,
      });
    } else if (signal.path !== undefined) {
      const path = parseValuePath(signal.path);
      if (!path.ok) {
        problems.push({
          path: jsonPath(['signals', i, 'path']),
          message: `${path.error} at character ${path.position + 1}`,
        });
      }
    }
    if (signal.range && signal.range[0] >= signal.range[1]) {
      problems.push({ path: jsonPath(['signals', i, 'range']), message: 'range must be [low, high] with low < high' });
    }
  });

  const matchers = twin.signals.map((s) => templateMatcher(s.id));
  const knownSignal = (idText: string) => matchers.some((m) => m(idText));
  const assetIds = new Set(twin.assets.map((a) => a.id));
  const checkNode = (node: string, path: PropertyKey[]) => {
    // Any name may match: the scene looks nodes up by their names as written in the glTF ("Pump 1",
    // "Valve.001", "Part 1\/2" for a "/" in a name) as well as by the names three.js gives them on
    // load (nodeNames.ts). Whether the model has them is the CLI's check with the files (modelNodes.ts).
    const parsed = parseNodePath(node);
    const asset = parsed.ok ? parsed.asset : node.split('/')[0];
    if (!assetIds.has(asset)) {
      problems.push({
        path: jsonPath(path),
        message: `unknown asset "${asset}" (assets: ${[...assetIds].join(', ') || 'none'})`,
      });
    }
    if (!parsed.ok) problems.push({ path: jsonPath(path), message: parsed.error });
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
          problems.push({
            path: jsonPath(['bindings', i, 'effect', 'stops', s]),
            message: 'stops must be in increasing order of value',
          });
        }
      }
    }
    if (effect.kind === 'scale' && effect.range[0] === effect.range[1]) {
      problems.push({
        path: jsonPath(['bindings', i, 'effect', 'range']),
        message: 'range needs two different values',
      });
    }
  });

  const commandMatchers = twin.commands.map((c) => templateMatcher(c.id));
  twin.rules.forEach((rule, i) => {
    const checkExpr = (field: 'when' | 'suppressWhen', text: string) => {
      const parsed = parseCondition(text);
      if (!parsed.ok) {
        problems.push({
          path: jsonPath(['rules', i, field]),
          message: `${parsed.error} at character ${parsed.position + 1}`,
        });
        return;
      }
      for (const s of parsed.signals) {
        if (!knownSignal(s)) problems.push({ path: jsonPath(['rules', i, field]), message: `unknown signal "${s}"` });
      }
    };
    if (rule.kind === 'condition') {
      if (rule.when === undefined)
        problems.push({ path: jsonPath(['rules', i]), message: 'a condition rule needs "when"' });
      else checkExpr('when', rule.when);
    } else if (rule.signal === undefined) {
      problems.push({ path: jsonPath(['rules', i]), message: `a ${rule.kind} rule needs "signal"` });
    } else if (!knownSignal(rule.signal)) {
      problems.push({ path: jsonPath(['rules', i, 'signal']), message: `unknown signal "${rule.signal}"` });
    }
    if (rule.kind === 'forecast' && rule.limit === undefined) {
      problems.push({ path: jsonPath(['rules', i]), message: 'a forecast rule needs "limit"' });
    }
    if (rule.suppressWhen !== undefined) checkExpr('suppressWhen', rule.suppressWhen);
    const command = rule.guidance?.command;
    // A suggestion names a concrete command: "pump2.start" is the command "{pump}.start" for pump2.
    if (command !== undefined && !commandMatchers.some((matches) => matches(command))) {
      problems.push({ path: jsonPath(['rules', i, 'guidance', 'command']), message: `unknown command "${command}"` });
    }
    if (rule.asset !== undefined) checkNode(rule.asset, ['rules', i, 'asset']);
  });

  commandProblems(twin, checkNode, problems);

  // Kiosk: the playlist names views that exist, and cycles at a pace a wall can show.
  if (twin.kiosk) {
    const views = new Set(twin.views.map((v) => v.id));
    twin.kiosk.playlist?.forEach((v, i) => {
      if (!views.has(v)) problems.push({ path: jsonPath(['kiosk', 'playlist', i]), message: `unknown view "${v}"` });
    });
    for (const field of ['cycle', 'takeover'] as const) {
      const ms = parseDuration(twin.kiosk[field]);
      if (ms !== null && ms < 1000)
        problems.push({ path: jsonPath(['kiosk', field]), message: `${field} must be at least 1s` });
    }
  }

  twin.panels.forEach((panel, i) => {
    panel.signals.forEach((s, j) => {
      if (!knownSignal(s))
        problems.push({ path: jsonPath(['panels', i, 'signals', j]), message: `unknown signal "${s}"` });
    });
  });

  return problems;
}

/** Commands: every placeholder has a source, parameters have sane limits, a reply can be recognised. */
function commandProblems(
  twin: Twin,
  checkNode: (node: string, at: PropertyKey[]) => void,
  problems: TwinProblem[],
): void {
  twin.commands.forEach((c, i) => {
    const at = (...rest: PropertyKey[]) => jsonPath(['commands', i, ...rest]);
    const captures = new Set(placeholders(c.id));
    const paramIds = new Set<string>();
    c.params.forEach((p, j) => {
      if (paramIds.has(p.id) || captures.has(p.id) || p.id === 'requestId')
        problems.push({
          path: at('params', j, 'id'),
          message: `"${p.id}" is already a capture, parameter or requestId`,
        });
      paramIds.add(p.id);
      if (p.kind === 'number') {
        if (p.min !== undefined && p.max !== undefined && p.min > p.max)
          problems.push({ path: at('params', j, 'max'), message: `max ${p.max} is below min ${p.min}` });
        if (
          p.default !== undefined &&
          ((p.min !== undefined && p.default < p.min) || (p.max !== undefined && p.default > p.max))
        )
          problems.push({ path: at('params', j, 'default'), message: 'the default is outside min..max' });
      } else if (p.kind === 'enum' && p.default !== undefined && !p.values.includes(p.default)) {
        problems.push({ path: at('params', j, 'default'), message: `"${p.default}" is not one of the values` });
      }
    });
    const fromId = (where: PropertyKey[], text: string) => {
      for (const name of placeholders(text))
        if (!captures.has(name))
          problems.push({ path: at(...where), message: `{${name}} is not a capture of the command id "${c.id}"` });
    };
    fromId(['topic'], c.topic);
    fromId(['label'], c.label);
    const payloadNames = new Set([...captures, ...paramIds, 'requestId']);
    const walk = (value: unknown, where: PropertyKey[]): void => {
      if (typeof value === 'string') {
        for (const name of placeholders(value))
          if (!payloadNames.has(name))
            problems.push({ path: at(...where), message: `{${name}} is not a capture, parameter or {requestId}` });
      } else if (Array.isArray(value)) value.forEach((v, k) => walk(v, [...where, k]));
      else if (typeof value === 'object' && value !== null)
        for (const [k, v] of Object.entries(value)) walk(v, [...where, k]);
    };
    if (c.payload === undefined) problems.push({ path: at('payload'), message: 'a command needs a payload' });
    else walk(c.payload, ['payload']);
    for (const p of c.params)
      if (!JSON.stringify(c.payload ?? null).includes(`{${p.id}}`))
        problems.push({ path: at('params'), message: `parameter "${p.id}" is not used in the payload` });
    if (c.reply) {
      if (c.reply.topic !== undefined) fromId(['reply', 'topic'], c.reply.topic);
      if (c.reply.via === 'topic' && c.reply.topic === undefined)
        problems.push({ path: at('reply'), message: 'a reply "via": "topic" needs the reply "topic"' });
      if (c.reply.via === 'response-topic' && c.reply.match !== undefined)
        problems.push({
          path: at('reply', 'match'),
          message: '"match" is for replies via a topic; MQTT 5 uses correlation data',
        });
      if (c.reply.via === 'response-topic' && twin.connection.mqtt !== 5)
        problems.push({ path: at('reply', 'via'), message: 'a Response Topic needs MQTT 5 (connection "mqtt": 5)' });
      if (c.reply.match !== undefined && !JSON.stringify(c.payload ?? null).includes('{requestId}'))
        problems.push({
          path: at('reply', 'match'),
          message: 'the payload must send "{requestId}" for the reply to match',
        });
      for (const field of ['match', 'ok', 'reason'] as const) {
        const path = c.reply[field];
        if (path === undefined) continue;
        const parsed = parseValuePath(path);
        if (!parsed.ok) problems.push({ path: at('reply', field), message: parsed.error });
      }
    }
    if (c.node !== undefined) checkNode(c.node, ['commands', i, 'node']);
  });
}
