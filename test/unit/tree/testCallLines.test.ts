// The line of a request's `insomnia.test(...)` call in its collection file (where the Test Explorer shows a failure).
import { strict as assert } from 'node:assert';
import { testCallLines } from '../../../src/tree/testCallLines';

const V5 = `type: collection.insomnia.rest/5.0
name: Scripted
collection:
  - url: http://x/login
    name: Login
    scripts:
      afterResponse: |-
        insomnia.test('logged in', () => {});
        insomnia.test("twice", () => {});
        insomnia.test("twice", () => {});
  - name: Account
    children:
      - url: http://x/me
        name: Me
        scripts:
          afterResponse: "insomnia.test(\\"is ada\\", () => {});\\ninsomnia.test('logged in', () => {})"
      - url: http://x/other
        name: Other
        scripts:
          afterResponse: pm.test.skip(\`is admin\`, () => {})
environments:
  name: Base
`;

const LEGACY = `_id: req_1
type: Request
name: Inventory
afterResponseScript: >-
  insomnia.test('authorised', () =>
  insomnia.expect(insomnia.response.code).to.equal(200));

  insomnia.test('nothing sold (a.k.a. [0])', () => 1);
settingStoreCookies: true
`;

describe('testCallLines', () => {
  it('finds each test of a v5 request inside that request only', () => {
    assert.deepEqual(testCallLines(V5, 3, ['logged in', 'twice', 'twice', 'is ada']), [7, 8, 9, undefined]);
    // Me's own 'logged in' (in a double-quoted scalar, with escaped quotes), not Login's
    assert.deepEqual(testCallLines(V5, 12, ['is ada', 'logged in', 'is admin']), [15, 15, undefined]);
    assert.deepEqual(testCallLines(V5, 16, ['is admin']), [19]);
  });

  it('a legacy request is its whole file; names with regular expression characters are taken literally', () => {
    assert.deepEqual(testCallLines(LEGACY, 0, ['authorised', 'nothing sold (a.k.a. [0])', 'from a folder']), [4, 7, undefined]);
  });
});
