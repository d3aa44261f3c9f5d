// An edit taken back leaves the file as it was: which differences are `modified` stamps only.
import { strict as assert } from 'node:assert';
import { onlyStampsDiffer } from '../../../src/collections/stampRestore';

describe('onlyStampsDiffer', () => {
  const legacy = (modified: number, url = 'http://x') => `_id: req_1\ntype: Request\nmodified: ${modified}\ncreated: 1700000000000\nurl: ${url}\nname: A\n`;
  const v5 = (itemStamp: number, extra = '') => [
    'type: collection.insomnia.rest/5.0',
    'name: C',
    'meta:',
    '  id: wrk_1',
    '  modified: 1700000000001',
    'collection:',
    '  - url: http://x',
    '    name: A',
    '    meta:',
    '      id: req_1',
    '      created: 1700000000000',
    `      modified: ${itemStamp}`,
    '    body:',
    '      mimeType: text/plain',
    `      text: |-${extra}`,
    '        meta:',
    '          modified: 1700000000005',
    'environments:',
    '  name: Base',
    '  data:',
    '    meta:',
    '      modified: 1700000000006',
    '',
  ].join('\n');

  it('a legacy document whose top-level modified alone changed', () => {
    assert.equal(onlyStampsDiffer(legacy(1700000000000), legacy(1800000000000)), true);
    assert.equal(onlyStampsDiffer(legacy(1700000000000), legacy(1800000000000, 'http://y')), false, 'and its url');
    assert.equal(onlyStampsDiffer(legacy(1700000000000), legacy(1700000000000)), true);
  });

  it('a v5 item whose meta.modified alone changed', () => {
    assert.equal(onlyStampsDiffer(v5(1700000000002), v5(1800000000002)), true);
    assert.equal(onlyStampsDiffer(v5(1700000000002), v5(1800000000002).replace('name: A', 'name: B')), false);
  });

  it('a `modified:` line in a body text or in an environment\'s data is what the user wrote, not a stamp', () => {
    const base = v5(1700000000002);
    assert.equal(onlyStampsDiffer(base, base.replace('          modified: 1700000000005', '          modified: 1700000000009')), false, 'in a block scalar');
    assert.equal(onlyStampsDiffer(base, base.replace('      modified: 1700000000006', '      modified: 1700000000009')), false, 'a variable under data');
    const env = 'name: E\ndata:\n  modified: 1700000000000\n';
    assert.equal(onlyStampsDiffer(env, env.replace('1700000000000', '1700000000001')), false, 'an indented variable of a legacy environment');
  });

  it('a stamp of another length is a difference (nothing is compared)', () => {
    assert.equal(onlyStampsDiffer(legacy(17), legacy(1800000000000)), false);
  });
});
