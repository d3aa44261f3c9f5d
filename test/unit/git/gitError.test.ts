// Error translation at the boundary (by code, never by message), redaction, and remote URL rules.

import * as assert from 'assert';
import { GitError, GitErrorCode, redact, toGitError } from '../../../src/git/gitError';
import { isSshUrl, parseRemoteUrl, sshToHttps } from '../../../src/git/remoteUrl';

function igError(code: string, data: Record<string, unknown> = {}, message = code): Error {
  return Object.assign(new Error(message), { code, data });
}

describe('GitError translation', () => {
  const ctx = { operation: 'fetch', url: 'https://git.example.com/team/api.git' };

  it('maps isomorphic-git codes', () => {
    const cases: [Error, GitErrorCode][] = [
      [igError('HttpError', { statusCode: 404 }), GitErrorCode.RepositoryNotFound],
      [igError('HttpError', { statusCode: 401 }), GitErrorCode.AuthRequired],
      [igError('HttpError', { statusCode: 500, statusMessage: 'Oops' }), GitErrorCode.HttpError],
      [igError('SmartHttpError'), GitErrorCode.NotAGitServer],
      [igError('PushRejectedError', { reason: 'not-fast-forward' }), GitErrorCode.PushRejectedNonFastForward],
      [igError('CheckoutConflictError', { filepaths: ['a.yml'] }), GitErrorCode.DirtyWorkingTree],
      [igError('UnmergedPathsError', { filepaths: ['a.yml'] }), GitErrorCode.UnresolvedConflicts],
      [igError('MissingNameError'), GitErrorCode.MissingAuthor],
      [igError('UserCanceledError'), GitErrorCode.Cancelled],
      [igError('MultipleGitError', { errors: [Object.assign(new Error('x'), { code: 'ENOTFOUND' })] }), GitErrorCode.NetworkUnreachable],
    ];
    for (const [err, code] of cases) assert.strictEqual(toGitError(err, ctx).code, code, String(err));
    assert.strictEqual(toGitError(igError('HttpError', { statusCode: 403 }), { ...ctx, credentialsRejected: true }).code, GitErrorCode.AuthFailed);
    const push = toGitError(igError('GitPushError'), { ...ctx, remoteLines: ['hook says no'] });
    assert.strictEqual(push.code, GitErrorCode.PushRejectedByRemote);
    assert.deepStrictEqual(push.details.remoteLines, ['hook says no']);
    assert.deepStrictEqual(toGitError(igError('CheckoutConflictError', { filepaths: ['a.yml'] }), ctx).details.files, ['a.yml']);
  });

  it('maps Node network and TLS codes and says what to check', () => {
    for (const code of ['ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'ECONNRESET', 'EHOSTUNREACH']) {
      const e = toGitError(Object.assign(new Error('boom'), { code }), ctx);
      assert.strictEqual(e.code, GitErrorCode.NetworkUnreachable);
      assert.strictEqual(e.details.networkCode, code);
      assert.match(e.message, /git\.example\.com/);
      assert.match(e.message, /Check the remote URL/);
    }
    assert.strictEqual(toGitError(Object.assign(new Error('x'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }), ctx).code, GitErrorCode.TlsCertificate);
  });

  it('a connection cut mid-transfer (the server stopped) says nothing changed and what to check', () => {
    for (const code of ['HAMMOCK_CUT', 'HAMMOCK_TRUNCATED', 'HAMMOCK_INCOMPLETE_TRANSFER']) {
      const e = toGitError(Object.assign(new Error('boom'), { code }), ctx);
      assert.strictEqual(e.code, GitErrorCode.NetworkUnreachable, code);
      assert.match(e.message, /git\.example\.com was cut before the transfer was complete/, code);
      assert.match(e.message, /nothing was changed/, code);
      assert.match(e.message, /Check that the server is up, your network and the proxy setting \(http\.proxy\), then try again\.$/, code);
    }
  });

  it('never branches on message text', () => {
    assert.strictEqual(toGitError(new Error('connect ECONNREFUSED 127.0.0.1:80'), ctx).code, GitErrorCode.Unknown);
    assert.strictEqual(toGitError(new Error('HTTP Error: 401 Unauthorized'), ctx).code, GitErrorCode.Unknown);
  });

  it('a cancelled operation is Cancelled whatever the underlying error', () => {
    const ac = new AbortController();
    ac.abort();
    assert.strictEqual(toGitError(Object.assign(new Error('x'), { code: 'ECONNRESET' }), { ...ctx, signal: ac.signal }).code, GitErrorCode.Cancelled);
  });

  it('keeps credentials out of messages and details', () => {
    assert.strictEqual(redact('fatal: https://user:s3cret@host/x.git failed'), 'fatal: https://***@host/x.git failed');
    assert.strictEqual(redact('Authorization: Basic dXNlcjpzM2NyZXQ='), 'Authorization: Basic ***');
    assert.strictEqual(redact('token tok_123456 leaked', ['tok_123456']), 'token *** leaked');
    const e = toGitError(new Error('cannot reach https://me:hunter22@git.example.com/x.git'), { ...ctx, secrets: ['hunter22'] });
    assert.ok(!JSON.stringify(e.toJSON()).includes('hunter22'));
    assert.ok(!new GitError(GitErrorCode.Unknown, 'see http://a:b@c').message.includes('a:b'));
  });
});

describe('remote URLs', () => {
  it('recognises SSH forms and gives the HTTPS URL', () => {
    const cases: [string, string][] = [
      ['git@github.com:Kong/insomnia.git', 'https://github.com/Kong/insomnia.git'],
      ['ssh://git@gitlab.com/team/sub/api.git', 'https://gitlab.com/team/sub/api.git'],
      ['ssh://git@host.example:2222/team/api.git', 'https://host.example/team/api.git'],
      ['git+ssh://git@bitbucket.org/team/api.git', 'https://bitbucket.org/team/api.git'],
      ['host.example:team/api.git', 'https://host.example/team/api.git'],
    ];
    for (const [ssh, https] of cases) {
      assert.ok(isSshUrl(ssh), ssh);
      assert.strictEqual(sshToHttps(ssh), https);
      assert.throws(
        () => parseRemoteUrl(ssh),
        (e: unknown) => e instanceof GitError && e.code === GitErrorCode.SshNotSupported && e.details.httpsUrl === https,
      );
    }
    for (const notSsh of ['https://github.com/a/b.git', 'http://127.0.0.1:8080/x.git', 'C:\\repos\\x', 'C:/repos/x']) assert.ok(!isSshUrl(notSsh), notSsh);
  });

  it('splits credentials off and refuses other schemes', () => {
    assert.deepStrictEqual(parseRemoteUrl(' https://me:p%40ss@git.example.com/a.git '), {
      url: 'https://git.example.com/a.git',
      username: 'me',
      password: 'p@ss',
    });
    for (const bad of ['ftp://host/x.git', 'file:///tmp/x', 'not a url']) {
      assert.throws(
        () => parseRemoteUrl(bad),
        (e: unknown) => e instanceof GitError && e.code === GitErrorCode.InvalidRemoteUrl,
      );
    }
  });
});
