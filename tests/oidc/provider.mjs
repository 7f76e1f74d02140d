// A real OpenID Connect provider for the tests and `make run-sso`: Node's oidc-provider on loopback.
//
//   PORT=9412 REDIRECT_URIS=http://127.0.0.1:8000/accounts/oidc/test/login/callback/ \
//     ACCOUNTS_FILE=accounts.json node tests/oidc/provider.mjs
//
// Clients "test-client" / "test-secret" and "other-client" / "other-secret" (PKCE required). The accounts come from ACCOUNTS_FILE,
// read again at every sign-in so a test can change a claim between two sign-ins; without it,
// alice (ORG-A, verified e-mail) and bob (ORG-B, unverified). The sign-in page signs in the
// `login_hint` of the request at once, or shows one button per account.
import { readFileSync } from "node:fs";
import Provider from "oidc-provider";

// A provider whose clock is behind (CLOCK_OFFSET_SECONDS=-60 with ID_TOKEN_TTL=1): its ID
// tokens have expired when they arrive, as with a badly skewed clock. Tests only.
const clockOffset = Number(process.env.CLOCK_OFFSET_SECONDS || 0) * 1000;
if (clockOffset) {
  const realNow = Date.now;
  Date.now = () => realNow() + clockOffset;
}
const port = Number(process.env.PORT || 9412);
const issuer = `http://127.0.0.1:${port}`;
const redirectUris = (process.env.REDIRECT_URIS || `http://127.0.0.1:8000/accounts/oidc/test/login/callback/`)
  .split(",").filter(Boolean);
// Signing out of Groeipad ends the session here too (RP-initiated logout) and comes back to its
// login page: the same host as each redirect URI.
const postLogoutRedirectUris = redirectUris.map((uri) => new URL("/accounts/login/", uri).href);
const DEFAULT_ACCOUNTS = {
  alice: { email: "alice@example.org", email_verified: true, name: "Alice Janssens", org_code: "ORG-A" },
  bob: { email: "bob@example.org", email_verified: false, name: "Bob Peeters", org_code: "ORG-B" },
};

function accounts() {
  return process.env.ACCOUNTS_FILE
    ? JSON.parse(readFileSync(process.env.ACCOUNTS_FILE, "utf8"))
    : DEFAULT_ACCOUNTS;
}

const provider = new Provider(issuer, {
  clients: [{
    client_id: "test-client",
    client_secret: "test-secret",
    redirect_uris: redirectUris,
    post_logout_redirect_uris: postLogoutRedirectUris,
    grant_types: ["authorization_code"],
    response_types: ["code"],
  }, {
    // Another application of the same identity provider: its ID tokens are not for Groeipad.
    client_id: "other-client",
    client_secret: "other-secret",
    redirect_uris: redirectUris,
    grant_types: ["authorization_code"],
    response_types: ["code"],
  }],
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      // A plain page without web fonts: the browser tests run without the internet.
      async logoutSource(ctx, form) {
        ctx.body = `<!doctype html><html lang="en"><title>Sign out</title><main><h1>Sign out of the test identity provider?</h1>
${form}<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button></main></html>`;
      },
    },
  },
  // Short-lived ID tokens when a test asks (ID_TOKEN_TTL seconds): the expired-token test.
  ttl: { IdToken: Number(process.env.ID_TOKEN_TTL || 3600) },
  scopes: ["openid", "email", "profile", "org"],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], org: ["org_code"] },
  conformIdTokenClaims: false,
  async findAccount(ctx, id) {
    const account = accounts()[id];
    if (!account) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...account }; } };
  },
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(ctx.oidc.requestParamScopes ? [...ctx.oidc.requestParamScopes].join(" ") : "openid");
    grant.addOIDCClaims(["sub", "email", "email_verified", "name", "org_code"]);
    await grant.save();
    return grant;
  },
});

async function signIn(ctx, accountId) {
  // An account's "amr" (RFC 8176), e.g. ["pwd", "mfa"], is how this sign-in says it was made.
  const { amr } = accounts()[accountId];
  const login = amr ? { accountId, amr } : { accountId };
  await provider.interactionFinished(ctx.req, ctx.res, { login }, { mergeWithLastSubmission: false });
}

provider.use(async (ctx, next) => {
  if (ctx.path === "/favicon.ico") {
    ctx.status = 204; // a browser asks for it; a 404 would be a console error in the browser tests
    return undefined;
  }
  const match = ctx.path.match(/^\/interaction\/([^/]+)$/);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const chosen = ctx.method === "POST"
    ? new URLSearchParams(await new Promise((resolve) => {
      let body = ""; ctx.req.on("data", (chunk) => { body += chunk; }); ctx.req.on("end", () => resolve(body));
    })).get("account")
    : details.params.login_hint;
  if (chosen && accounts()[chosen]) {
    ctx.respond = false;
    return signIn(ctx, chosen);
  }
  ctx.type = "html";
  ctx.body = `<!doctype html><html lang="en"><title>Test identity provider</title><main><h1>Test identity provider</h1>
<form method="post">${Object.entries(accounts()).map(([id, a]) =>
    `<p><button name="account" value="${id}">Sign in as ${a.name} (${id})</button></p>`).join("")}</form></main></html>`;
});

provider.listen(port, "127.0.0.1", () => console.log(`oidc-provider listening on ${issuer}`));
