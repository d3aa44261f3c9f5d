// The translation of Postman scripts to Insomnia's API (src/collections/convert/postmanScripts.ts): each rule of
// Insomnia's importer, the places a name is not translated (part of another name, right after a quote), the
// statement reading that goes beyond Insomnia's regular expressions, and what is reported as "may not run".
import * as assert from 'node:assert/strict';
import { translatePostmanScript } from '../../../../src/collections/convert/postmanScripts';

const code = (script: string) => translatePostmanScript(script).code;
const flagged = (script: string) => translatePostmanScript(script).mayNotRun.map((m) => m.construct);

describe('translatePostmanScript: pm.* -> insomnia.*', () => {
  it('pm. becomes insomnia. wherever pm is a name of its own', () => {
    assert.equal(code("pm.environment.set('a', 1)"), "insomnia.environment.set('a', 1)");
    assert.equal(code('pm.test("ok", () => pm.expect(pm.response.code).to.equal(200));'), 'insomnia.test("ok", () => insomnia.expect(insomnia.response.code).to.equal(200));');
    assert.equal(code('if(pm.response){(pm.globals).get}\n[pm.info]'), 'if(insomnia.response){(insomnia.globals).get}\n[insomnia.info]');
    assert.equal(code(' pm.variables.get("x")'), ' insomnia.variables.get("x")');
  });

  it('pm inside another name, after `.`, `$`, `-` or a quote stays', () => {
    for (const kept of ['ipm.fn()', 'h5pm.fn()', '_pm.fn()', '$pm.fn()', 'a.pm.fn()', 'x-pm.fn()', "'pm.fn()'", '"pm.fn()"', 'upm.x', 'c_pm.x', 'pm2.x', 'pmx.y', 'pm .x']) {
      assert.equal(code(kept), kept, kept);
    }
    // the quote rule is Insomnia's: only a quote right before `pm` marks a string
    assert.equal(code("'a pm.x'"), "'a insomnia.x'");
  });
});

describe('translatePostmanScript: the legacy API -> pm.* -> insomnia.*', () => {
  it("tests['name'] = expr; becomes a test that expects expr to be true", () => {
    assert.equal(code("tests['Status is 200'] = responseCode.code === 200;"), "insomnia.test('Status is 200', () => { insomnia.expect(insomnia.response.code === 200).to.be.true; });");
    assert.equal(code('tests["a"]=x'), 'insomnia.test("a", () => { insomnia.expect(x).to.be.true; });', 'no `;` at the end of the script');
    // a name with `]` or `;` inside its string, a value with `;` in a string, a value over two lines
    assert.equal(code("tests['a]b;'] = s === ';';"), "insomnia.test('a]b;', () => { insomnia.expect(s === ';').to.be.true; });");
    assert.equal(code("tests['t'] = a\n  && b;\nnext();"), "insomnia.test('t', () => { insomnia.expect(a\n  && b).to.be.true; });\nnext();");
    // ends at its line (no `;`), at the block's end, before a comment
    assert.equal(code("tests['x'] = 1\ntests['y'] = 2"), "insomnia.test('x', () => { insomnia.expect(1).to.be.true; });\ninsomnia.test('y', () => { insomnia.expect(2).to.be.true; });");
    assert.equal(code("if (ok) { tests['x'] = y }"), "if (ok) { insomnia.test('x', () => { insomnia.expect(y).to.be.true; }); }");
    assert.equal(code("tests['d'] = a / b > /x/.source.length /* c; */;"), "insomnia.test('d', () => { insomnia.expect(a / b > /x/.source.length /* c; */).to.be.true; });");
    assert.equal(code("tests['x'] = y // it's fine\n"), "insomnia.test('x', () => { insomnia.expect(y).to.be.true; }); // it's fine\n");
    // tests.name = expr (beyond Insomnia's rules)
    assert.equal(code('tests.ok = true;'), "insomnia.test('ok', () => { insomnia.expect(true).to.be.true; });");
    // a comparison is not an assignment
    assert.equal(code("if (tests['a'] == true) {}"), "if (tests['a'] == true) {}");
  });

  it('environment.* and globals.* reads and writes become get/set', () => {
    assert.equal(code('environment.foo = "bar";'), `insomnia.environment.set('foo', "bar");`);
    assert.equal(code("environment['my var'] = 1 + 2;"), "insomnia.environment.set('my var', 1 + 2);");
    assert.equal(code('var u = environment.url + environment["path"];'), `var u = insomnia.environment.get('url') + insomnia.environment.get("path");`);
    assert.equal(code('globals.token = user.token;'), "insomnia.globals.set('token', user.token);");
    assert.equal(code("globals['token'] = x;"), "insomnia.globals.set('token', x);");
    assert.equal(code('if (globals.token === environment.token) {}'), "if (insomnia.globals.get('token') === insomnia.environment.get('token')) {}");
    assert.equal(code("x = globals['a'];"), "x = insomnia.globals.get('a');");
    // already pm.*, or part of another name: only pm. -> insomnia.
    assert.equal(code('pm.environment.get("a"); myenvironment.x; my_globals.y; "environment.z"'), 'insomnia.environment.get("a"); myenvironment.x; my_globals.y; "environment.z"');
  });

  it('responseBody, responseTime, responseCode.code, responseHeaders', () => {
    assert.equal(code('var data = JSON.parse(responseBody);'), 'var data = JSON.parse(insomnia.response.text());');
    assert.equal(code('tests["fast"] = responseTime < 200;'), 'insomnia.test("fast", () => { insomnia.expect(insomnia.response.responseTime < 200).to.be.true; });');
    assert.equal(code('if (responseCode.code === 201) {}'), 'if (insomnia.response.code === 201) {}');
    assert.equal(code('var ct = responseHeaders["Content-Type"] || responseHeaders.Server;'), `var ct = insomnia.response.headers.get("Content-Type") || insomnia.response.headers.get('Server');`);
    // a variable of the script's own with such a name, and names that only begin like them, stay
    assert.equal(code('var responseBody = 1; responseBodyText; $responseTime; x.responseCode.code'), 'var responseBody = 1; responseBodyText; $responseTime; x.responseCode.code');
  });

  it('postman.* variables, next request, response header and cookie', () => {
    assert.equal(code("postman.getEnvironmentVariable('a')"), "insomnia.environment.get('a')");
    assert.equal(code('postman.setEnvironmentVariable("token", JSON.parse(responseBody).token);'), 'insomnia.environment.set("token", JSON.parse(insomnia.response.text()).token);');
    assert.equal(code("postman.clearEnvironmentVariable('a'); postman.clearEnvironmentVariable( );"), "insomnia.environment.unset('a'); insomnia.environment.clear();");
    assert.equal(code("postman.getGlobalVariable('a'); postman.setGlobalVariable('a', 1); postman.clearGlobalVariable('a'); postman.clearGlobalVariable()"), "insomnia.globals.get('a'); insomnia.globals.set('a', 1); insomnia.globals.unset('a'); insomnia.globals.clear()");
    assert.equal(code('postman.setNextRequest("Get user");'), 'insomnia.execution.setNextRequest("Get user");');
    assert.equal(code("postman.getResponseHeader('Location')"), "insomnia.response.headers.get('Location')");
    assert.equal(code("var s = postman.getResponseCookie('session').value;"), "var s = insomnia.cookies.get('session');");
    assert.equal(code("postman.getResponseCookie(name('a)')) .value"), "insomnia.cookies.get(name('a)'))", 'the argument read to its closing bracket');
    assert.equal(code('my_postman.setNextRequest(x); "postman.setNextRequest"'), 'my_postman.setNextRequest(x); "postman.setNextRequest"');
  });

  it('a whole legacy test script (the shape of the Conduit collection)', () => {
    const source = [
      'var responseJSON = JSON.parse(responseBody);',
      "tests['Response contains \"user\" property'] = responseJSON.hasOwnProperty('user');",
      "tests['Article\\'s \"createdAt\" is ISO 8601'] = /^\\d{4,}-[01]\\d$/.test(responseJSON.createdAt);",
      'if (!(environment.isIntegrationTest)) { postman.setGlobalVariable("id", responseJSON.id); }',
    ].join('\n');
    assert.equal(
      code(source),
      [
        'var responseJSON = JSON.parse(insomnia.response.text());',
        "insomnia.test('Response contains \"user\" property', () => { insomnia.expect(responseJSON.hasOwnProperty('user')).to.be.true; });",
        "insomnia.test('Article\\'s \"createdAt\" is ISO 8601', () => { insomnia.expect(/^\\d{4,}-[01]\\d$/.test(responseJSON.createdAt)).to.be.true; });",
        "if (!(insomnia.environment.get('isIntegrationTest'))) { insomnia.globals.set(\"id\", responseJSON.id); }",
      ].join('\n'),
    );
    assert.deepEqual(flagged(source), []);
    // what it becomes compiles
    assert.doesNotThrow(() => new Function('insomnia', code(source)));
  });
});

describe('translatePostmanScript: what is kept but may not run', () => {
  it('names the pm.* members Insomnia`s API has not, once each, in order', () => {
    const r = translatePostmanScript('pm.visualizer.set(t, d); pm.cookies.get("a"); pm.visualizer.set(t); pm.require("@team/lib"); pm.vault.get("k"); pm.mqtt.x');
    assert.deepEqual(r.mayNotRun.map((m) => m.construct), ['pm.visualizer', 'pm.cookies', 'pm.require', 'pm.vault', 'pm.mqtt']);
    assert.match(r.mayNotRun[0].why, /no visualizer/);
    assert.match(r.mayNotRun[4].why, /no insomnia\.mqtt/);
    assert.match(r.code, /^insomnia\.visualizer\.set/, 'kept, translated like the rest');
  });

  it('the members Insomnia has are not flagged', () => {
    const all = 'pm.environment pm.baseEnvironment pm.collectionVariables pm.globals pm.iterationData pm.variables pm.request pm.response pm.info pm.execution pm.test pm.expect pm.sendRequest("https://x", (err, res) => {})';
    assert.deepEqual(flagged(all), []);
  });

  it('Postman`s response assertions that Insomnia`s insomnia.response.to has not', () => {
    const script = 'pm.response.to.have.status(200); pm.response.to.not.have.header("x"); pm.response.to.have.jsonBody({}); pm.response.toJSON();\n' +
      'pm.response.to.be.ok; pm.response.to.not.be.error; pm.response.to.have.responseTime.below(5); pm.response.to.be.ok;';
    assert.deepEqual(flagged(script), ['pm.response.to.be.ok', 'pm.response.to.not.be.error', 'pm.response.to.have.responseTime']);
    assert.match(translatePostmanScript(script).mayNotRun[0].why, /has only have\.status, have\.header/);
  });

  it('postman.* left over, reading tests[...], and Postman`s sandbox globals unless the script defines them', () => {
    assert.deepEqual(flagged("postman.getResponseCookie('a')"), ['postman.getResponseCookie']);
    assert.deepEqual(flagged("if (tests['a']) {}"), ['tests[...]']);
    assert.deepEqual(flagged('var h = CryptoJS.SHA256(x); tv4.validate(a, b); xml2Json(responseBody); cheerio.load(t); responseCookies[0]'), ['CryptoJS', 'tv4', 'cheerio', 'xml2Json', 'responseCookies']);
    assert.deepEqual(flagged("const CryptoJS = require('crypto-js'); CryptoJS.MD5(x); const { tv4 } = lib; tv4.x"), []);
    assert.deepEqual(flagged("my.CryptoJS; 'CryptoJS'"), []);
  });
});

describe('translatePostmanScript: hostile input', () => {
  // each unclosed bracket read to the end of the text made a 60 KB script take 14 s (a collection from anywhere is
  // imported on the extension host's thread)
  for (const [name, script] of [
    ['thousands of unclosed environment[', 'environment['.repeat(5000)],
    ['thousands of unclosed postman.getResponseCookie(', 'postman.getResponseCookie('.repeat(5000)],
    ['unclosed brackets before a long unterminated string', `${'tests['.repeat(3000)}'${'a'.repeat(100_000)}`],
  ] as const) {
    it(`${name}: read in bounded time, kept as written and said so`, () => {
      const started = performance.now();
      const out = translatePostmanScript(`${script}\npm.test('x', () => {});`);
      const took = performance.now() - started;
      assert.ok(took < 1000, `took ${took.toFixed(0)} ms`);
      assert.equal(out.mayNotRun[0]?.construct, 'the whole script');
      assert.ok(out.code.startsWith(script) && out.code.endsWith("\ninsomnia.test('x', () => {});"));
    });
  }

  it('a long real script is translated in full, not cut by the limit', () => {
    const line = "environment['token_1'] = pm.response.json().token; tests['ok'] = responseCode.code === 200;\n";
    const out = translatePostmanScript(line.repeat(2000));
    assert.deepEqual(out.mayNotRun, []);
    assert.equal(out.code, "insomnia.environment.set('token_1', insomnia.response.json().token); insomnia.test('ok', () => { insomnia.expect(insomnia.response.code === 200).to.be.true; });\n".repeat(2000));
  });
});
