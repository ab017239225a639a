/**
 * Every panel and every filter (analysis-semantics.md §8–§11), for both readers, against the
 * independent reading in reference-semantics.ts: the same lines counted by ours and by the
 * reference must give the same accounting and, per panel, the same keys with the same counts and
 * bytes. Adversarial lines probe every field's edges; generated lines are what real logs hold.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { adversarialLines } from './support/adversarial-lines';
import { LogGenerator } from './support/log-generator';
import { ALL_PANELS, firstDifference, linesOf, ourQuery, ourTally, referenceQuery, referenceTally, textOf } from './support/panel-outcomes';
import { PANEL_QUERIES } from './support/panel-queries';
import { referenceOutcome } from './support/reference-semantics';
import { READERS } from './support/verdicts';



function corpus(seed: number): Buffer[] {
  const generated = new LogGenerator({ seed, malformedRate: 0.02, start: Date.UTC(2012, 5, 30) }).lines(15_000);
  return linesOf(textOf([...adversarialLines(30_000, seed), ...linesOf(Buffer.from(generated, 'latin1'))]));
}

const CHUNK = 2_000;

for (const [n, { name, query }] of PANEL_QUERIES.entries()) {
  for (const reader of READERS) {
    test(`panels and filters (${reader} reader): ${name}: 45,000 adversarial and generated lines`, () => {
      const lines = corpus(11 + n);
      const ours = ourQuery(query);
      const reference = referenceQuery(query);
      let decided = 0;
      for (let at = 0; at < lines.length; at += CHUNK) {
        const chunk = lines.slice(at, at + CHUNK);
        const got = ourTally(textOf(chunk), ours, reader);
        decided += got.decided;
        const expected = referenceTally(chunk, reference);
        if (got.text !== expected) {
          const first = firstDifference(chunk, ours, reader, (i) => referenceOutcome(chunk[i]!, reference));
          assert.fail(`lines ${at}-${at + chunk.length} differ; ${first ?? 'no single line differs (a merge problem)'}`);
        }
      }
      if (reader === 'webassembly') assert.ok(decided > 15_000, `the block reader decided only ${decided} lines`);
    });
  }
}

test('the corpus exercises every outcome of every filter and panel', () => {
  for (const { name, query } of PANEL_QUERIES) {
    const reference = referenceQuery(query);
    const lines = corpus(11);
    const kinds = new Map<string, number>();
    const keyed = new Map<string, number>();
    for (const line of lines) {
      const o = referenceOutcome(line, reference);
      kinds.set(o.kind, (kinds.get(o.kind) ?? 0) + 1);
      if (o.kind === 'kept') for (const p of Object.keys(o.keys)) keyed.set(p, (keyed.get(p) ?? 0) + 1);
    }
    assert.ok((kinds.get('kept') ?? 0) > 500, `${name}: too few lines kept`);
    assert.ok((kinds.get('malformed') ?? 0) > 500, `${name}: too few malformed lines`);
    if (Object.keys(query.filters).length > 0) assert.ok((kinds.get('filtered') ?? 0) > 500, `${name}: too few lines filtered (${kinds.get('filtered') ?? 0})`);
    for (const p of query.panels) assert.ok((keyed.get(p) ?? 0) > 20, `${name}: panel ${p} got too few keys (${keyed.get(p) ?? 0})`);
  }
});

test('the spec\'s worked examples of §11', () => {
  const t = '01/Jun/2012:22:17:54 -0400';
  const all = ourQuery({ panels: [...ALL_PANELS], filters: {} });
  const tally = (line: string, q = all) => JSON.parse(ourTally(textOf([Buffer.from(line, 'latin1')]), q, 'javascript').text) as { filtered: number; panels: Record<string, Array<[string, number, number]>> };
  for (const reader of READERS) {
    const same = (line: string, q = all) => assert.equal(ourTally(textOf([Buffer.from(line, 'latin1')]), q, reader).text, ourTally(textOf([Buffer.from(line, 'latin1')]), q, 'javascript').text);
    let r = tally(`1.2.3.4 - - [${t}] "GET /a HTTP/1.1" 200 512 "-" "UA"`);
    assert.deepEqual(r.panels.methods, [['GET', 1, 512]]);
    assert.deepEqual(r.panels.referers, []);
    assert.deepEqual(r.panels['user-agents'], [['UA', 1, 512]]);
    same(`1.2.3.4 - - [${t}] "GET /a HTTP/1.1" 200 512 "-" "UA"`);
    r = tally(`1.2.3.4 - - [${t}] "GET /a HTTP/1.1" 304 -`);
    assert.deepEqual(r.panels.status, [['304', 1, 0]]);
    assert.deepEqual(r.panels['user-agents'], []);
    r = tally(`1.2.3.4 - - [${t}] "-" 408 0`);
    assert.deepEqual(r.panels.methods, []);
    assert.deepEqual(r.panels.paths, []);
    r = tally(`1.2.3.4 - - [${t}] "GET /a HTTP/1.1" 200 5`);
    assert.deepEqual(r.panels.hours, [['2012-06-02T02:00Z', 1, 5]]);
    assert.deepEqual(r.panels.days, [['2012-06-02', 1, 5]]);
    same(`1.2.3.4 - - [${t}] "GET /a HTTP/1.1" 200 5`);
    const until = ourQuery({ panels: ['paths'], filters: { until: '2012-06-02' } });
    assert.equal(tally(`1.2.3.4 - - [${t}] "GET /a HTTP/1.1" 200 5`, until).filtered, 1);
    same(`1.2.3.4 - - [${t}] "GET /a HTTP/1.1" 200 5`, until);
    for (const [item, passes] of [['4xx', true], ['400-403', false], ['404', true]] as const) {
      const q = ourQuery({ panels: ['status'], filters: { status: [item] } });
      assert.equal(tally(`1.2.3.4 - - [${t}] "GET /a HTTP/1.1" 404 5`, q).filtered, passes ? 0 : 1, item);
      same(`1.2.3.4 - - [${t}] "GET /a HTTP/1.1" 404 5`, q);
    }
    r = tally(`1.2.3.4 - - [${t}] "GET /a HTTP/1.1" 200 12345678901234567`);
    assert.deepEqual(r.panels.status, [['200', 1, 0]]);
    r = tally(`1.2.3.4 - - [${t}] "GET /a HTTP/1.1" 200 123456789012345`);
    assert.deepEqual(r.panels.status, [['200', 1, 123456789012345]]);
    same(`1.2.3.4 - - [${t}] "GET /a HTTP/1.1" 200 123456789012345`);
    r = tally(`1.2.3.4 - - [${t}] "GET /static/app.js HTTP/1.1" 200 7`);
    assert.deepEqual(r.panels.paths, []);
    assert.deepEqual(r.panels.status, [['200', 1, 7]]);
    same(`1.2.3.4 - - [${t}] "GET /static/app.js HTTP/1.1" 200 7`);
  }
});
