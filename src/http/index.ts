// The HTTP engine's public API (pure: no 'vscode' import).
export { HttpError, toHttpError, type HttpErrorCode } from './httpError';
export type {
  BodyKind,
  DigestCredentials,
  HttpResponse,
  OAuth2Token,
  OAuth2TokenStore,
  RedirectHop,
  RenderedRequest,
  RenderHooks,
  SendOptions,
  SetCookie,
  Timings,
} from './types';
export { ancestorFolders, applyJsonPath, buildRenderContext, decodeTagArg, findHttpRequest, renderTemplate, TAG_NAMES, type RenderContext, type RenderExtras } from './template';
export { applyQueryParams, effectiveAuth, effectiveHeaders, parseRequestUrl, renderRequest, type RenderOptions } from './renderRequest';
export { bodyKind, encodeForm, encodeMultipart, formatJson, graphqlPayload, guessMimeType, validateJson } from './body';
export { applyAwsSigV4, basicAuthorization, digestAuthorization, parseDigestChallenge, type DigestChallenge } from './auth';
export { authorizationUrl, getOAuth2Token, pkcePair, requestToken, type OAuth2Config } from './oauth2';
export { receiveCodeOnLoopback } from './oauthRedirect';
export { closeConnections, DEFAULT_MAX_BODY_IN_MEMORY, DEFAULT_USER_AGENT, loadJar, sendRequest, serializeJar } from './sendRequest';
export { toCurl, toHar } from './toCurl';
// for the request editor's variable previews (src/webviews/requestVariables.ts): kept out of the extension's bundle
export { detectSecrets, isSecretName, looksSecret } from '../collections/secrets/detect';
export { maskable, maskBytes, maskedJson, maskFile, maskSecretsIn, sentSecrets } from './secretMask';
export { DEFAULT_SCRIPT_MEMORY_MB, DEFAULT_SCRIPT_TIMEOUT_MS, defaultSandboxDir, describeScriptError, ScriptSandbox, type SandboxOptions } from './scripts/scriptSandbox';
export type { ConsoleLine, ScriptError, TestResult, TestStatus } from './scripts/scriptProtocol';
export { hasScripts, RunSession, scriptParts, withEnvironmentData, type PhasedConsoleLine, type PhasedTest, type RequestRun, type RunDeps, type RunError, type RunStage, type ScriptPhase, type UnitTestRun } from './run/runSession';
