// What `hammock run` prints about requests that failed: a request whose after-response script failed was sent (it is
// not counted "not sent"), and a script's error is named once ("pre-request script of request "X", line 2:40: ..."),
// not after its stage again ("pre-request script: pre-request script of request ...").
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { formatJunit, formatText, type RequestReport, type RunReport } from '../../src/cli/runReport';
import { describeRunError } from '../../src/util/runError';

const request = (name: string, extra: Partial<RequestReport>): RequestReport => ({
  collection: 'Kong', folders: ['Transactions'], id: `req_${name}`, name, method: 'GET', durationMs: 5, tests: [], console: [], ...extra,
});

const report: RunReport = {
  kind: 'run',
  startedAt: '2026-12-06T22:39:37.000Z',
  durationMs: 5300,
  suites: [],
  notRun: [],
  requests: [
    // sent; its after-response script looped and was stopped
    request('Cancel', { method: 'DELETE', url: 'http://localhost:3000/t/7', status: 200, statusText: 'OK', error: { stage: 'after-response script', message: 'After-response script of request "Cancel" ran longer than 5000 ms and was stopped (a script that loops forever, or waits too long).' } }),
    // not sent: its pre-request script threw
    request('Create', { method: 'POST', error: { stage: 'pre-request script', message: 'pre-request script of request "Create", line 2:40: TypeError: Cannot read properties of undefined (reading \'amount\')' } }),
    // not sent: a variable is missing
    request('Get', { error: { stage: 'render', message: 'Unknown variable "id" in url' } }),
    request('List', { url: 'http://localhost:3000/t', status: 200, statusText: 'OK', tests: [{ name: 'lists', status: 'passed', durationMs: 1 }] }),
  ],
};

describe('hammock run: the report of failed requests', () => {
  it('counts as "not sent" only the requests that were not sent; a failed after-response script is a script error', () => {
    const text = formatText(report);
    assert.match(text, /^4 requests, 2 not sent, 1 script error, 1 test in 5\.30 s$/m);
  });

  it('names a script\'s error once, not after its stage again', () => {
    const text = formatText(report);
    assert.match(text, /✗ pre-request script of request "Create", line 2:40: TypeError/);
    assert.match(text, /✗ After-response script of request "Cancel" ran longer than 5000 ms/);
    assert.doesNotMatch(text, /pre-request script: pre-request script|after-response script: After-response script/i);
    // a stage its message does not name keeps it in front
    assert.match(text, /✗ render: Unknown variable "id" in url/);
    const junit = formatJunit(report);
    assert.match(junit, /<error message="pre-request script of request &quot;Create&quot;, line 2:40: TypeError/);
    assert.doesNotMatch(junit, /message="(pre-request|after-response) script: /i);
  });

  it('JUnit system-out says the URL was not rendered (not an empty URL), and the report stays valid JUnit', async () => {
    const junit = formatJunit(report);
    const outs = [...junit.matchAll(/<system-out>([^<]*)<\/system-out>/g)].map((m) => m[1]);
    assert.doesNotMatch(junit, / {2}-&gt;/);
    assert.ok(outs.includes('GET (the URL was not rendered) -&gt; not sent'), outs.join('\n'));
    assert.ok(outs.includes('POST (the URL was not rendered) -&gt; not sent'), outs.join('\n'));
    // a rendered URL is written as sent, with its status
    assert.ok(outs.includes('GET http://localhost:3000/t -&gt; 200'), outs.join('\n'));
    const empty = formatJunit({ ...report, requests: [request('Blank', { url: '', error: { stage: 'send', message: 'Invalid URL' } })] });
    assert.match(empty, /<system-out>GET \(an empty URL\) -&gt; not sent<\/system-out>/);
    const xsd = readFileSync(path.resolve(__dirname, '../fixtures/junit/junit-10.xsd'), 'utf8');
    const result = await validateXML({ xml: [{ fileName: 'report.xml', contents: junit }], schema: [{ fileName: 'junit-10.xsd', contents: xsd }] });
    assert.equal(result.valid, true, `${result.errors.map((e) => e.rawMessage).join('\n')}\n${junit}`);
  });

  it('describeRunError: the stage in front only when the message does not start with it', () => {
    assert.equal(describeRunError({ stage: 'pre-request script', message: 'pre-request script of folder "Auth", line 1: ReferenceError: x is not defined' }), 'pre-request script of folder "Auth", line 1: ReferenceError: x is not defined');
    assert.equal(describeRunError({ stage: 'after-response script', message: 'After-response script of request "A" ran longer than 5000 ms and was stopped' }), 'After-response script of request "A" ran longer than 5000 ms and was stopped');
    assert.equal(describeRunError({ stage: 'after-response script', message: 'The script ran out of memory' }), 'after-response script: The script ran out of memory');
    assert.equal(describeRunError({ stage: 'send', message: 'ECONNREFUSED' }), 'send: ECONNREFUSED');
  });
});
