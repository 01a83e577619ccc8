// The kernel protocol's request ids: a reply reaches the request that asked for it, whatever else is waiting
// (the Notebook tab once handed the "written" reply of a data file to the cell waiting for "done").

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Requests } from '../../src/notebook/protocol.js';

type Reply = { type: 'done'; id: number; value: string } | { type: 'written'; id: number; names: string[] };
type Event = { type: 'stream'; id: number; text: string };

test('replies and output events go to their own request, in any order; fatal fails every waiting one', async () => {
  const r = new Requests<Reply, Event>();
  const printed: string[] = [];
  const run = r.ask((e) => printed.push(e.text));
  const files = r.ask();
  assert.notEqual(run.id, files.id);
  // the data files' reply comes first, while the cell is still running
  r.event({ type: 'stream', id: run.id, text: 'a' });
  assert.equal(r.answer({ type: 'written', id: files.id, names: ['x.txt'] }), true);
  r.event({ type: 'stream', id: run.id, text: 'b' });
  assert.equal(r.answer({ type: 'done', id: run.id, value: 'ok' }), true);
  assert.deepEqual(await files.reply, { type: 'written', id: files.id, names: ['x.txt'] });
  assert.deepEqual(await run.reply, { type: 'done', id: run.id, value: 'ok' });
  assert.deepEqual(printed, ['a', 'b']);
  // a reply nobody waits for is refused, and an event for it dropped
  assert.equal(r.answer({ type: 'done', id: run.id, value: 'again' }), false);
  r.event({ type: 'stream', id: run.id, text: 'late' });
  assert.deepEqual(printed, ['a', 'b']);
  const a = r.ask();
  const b = r.ask();
  r.failAll('the kernel was restarted');
  assert.deepEqual(await a.reply, { type: 'fatal', message: 'the kernel was restarted' });
  assert.deepEqual(await b.reply, { type: 'fatal', message: 'the kernel was restarted' });
  assert.equal(r.size, 0);
});
