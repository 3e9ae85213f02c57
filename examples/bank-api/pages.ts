/**
 * The bank's pages. The consent page shows, before the customer authenticates, who asks, for what, for
 * which account and — for a payout — the amount and the payee (spec/03-request.md SHO-REQ-16), so the
 * authentication is given for exactly what the assertion will state. Every value is escaped.
 */
import type { Account, RequestClaims } from 'shomei';
import { html, jsonForScript, page, type SafeHtml } from '../shared/html.js';

const ACCOUNT_TYPES: Record<Account['type'], string> = { '1': '普通', '2': '当座', '4': '貯蓄', '9': 'その他' };

const ACTIONS: Record<RequestClaims['action'], { title: string; english: string }> = {
  account_link: { title: '出金先口座としての登録', english: 'register this account as the payout account' },
  payout_destination_change: { title: '出金先口座の変更', english: 'change the payout account to this account' },
  payout: { title: '出金（この口座への振込）の承認', english: 'approve a payout to this account' },
  direct_debit_registration: { title: '口座振替（自動引落し）の登録', english: 'allow direct debits from this account' },
};

/** 支店 101 普通 ****567: enough for the customer to recognise the account, not enough to reuse it. */
export function maskedAccount(account: Account, bankName: string): string {
  return `${bankName} 支店 ${account.branch_code} ${ACCOUNT_TYPES[account.type]} ****${account.number.slice(-3)}`;
}

function yen(value: string): string {
  return `${Number(value).toLocaleString('ja-JP')} 円`;
}

export interface ConsentView {
  bankName: string;
  /** The relying party's name from the bank's own trust configuration (SHO-REQ-12), else its identifier. */
  partyName: string;
  partyId: string;
  /** What the request calls itself (`client_name`), shown only as a claim. */
  claimedName?: string | undefined;
  claims: RequestClaims;
  /** Reverse flow: the wallet's KYC as its verified identity assertion states it. */
  walletKyc?: string | undefined;
  interaction: string;
  webauthn: { challenge: string; rpId: string };
  scriptNonce: string;
  error?: string | undefined;
}

/** The consent and login page of the secure bank. */
export function consentPage(view: ConsentView): string {
  const { claims } = view;
  const action = ACTIONS[claims.action];
  const account = claims.action === 'payout' ? claims.transaction?.payee : claims.account;
  const body = html`
<h1>${view.partyName} からの依頼</h1>
<p>${view.partyName} (<code>${view.partyId}</code>) が、次の手続きへの同意を求めています。<br><small>${view.partyName} asks you to ${action.english}.</small></p>
<dl class="facts">
  <dt>手続き</dt><dd>${action.title}</dd>
  <dt>口座</dt><dd>${account === undefined ? '—' : maskedAccount(account, view.bankName)}</dd>
  ${claims.transaction === undefined ? '' : html`<dt>金額</dt><dd>${yen(claims.transaction.amount.value)}</dd>`}
  ${claims.transaction?.reference === undefined ? '' : html`<dt>摘要</dt><dd>${claims.transaction.reference}</dd>`}
  ${view.walletKyc === undefined ? '' : html`<dt>依頼元の本人確認</dt><dd>${view.walletKyc}</dd>`}
  ${view.claimedName === undefined || view.claimedName === view.partyName ? '' : html`<dt>依頼元の自称</dt><dd>${view.claimedName}</dd>`}
</dl>
<div class="notice">
  同意すると、当行は ${view.partyName} に次の情報を署名付きで提供します: 当行での本人確認の方法と時期（犯罪収益移転防止法）、
  お客さまがこの口座の名義人であること、依頼元が送った氏名・生年月日と当行の記録の照合結果、今回の認証方法。
  ${claims.action === 'payout' ? '承認は上記の金額と口座に限り有効です。' : ''}
</div>
${view.error === undefined ? '' : html`<div class="error" role="alert">${view.error}</div>`}
<form id="login" method="post" action="authorize" autocomplete="off">
  <input type="hidden" name="interaction" value="${view.interaction}">
  <input type="hidden" name="webauthn_response" value="">
  <label for="login_id">インターネットバンキング ログインID</label>
  <input type="text" id="login_id" name="login_id" required maxlength="64" autocomplete="username">
  <label for="password">ログインパスワード</label>
  <input type="password" id="password" name="password" required maxlength="128" autocomplete="current-password">
  <fieldset>
    <legend>二要素目 / second factor</legend>
    <button type="button" id="passkey-button">パスキーで認証して同意する</button>
    <button type="submit" id="passkey-submit" name="factor" value="passkey" hidden></button>
    <label for="totp_code">または 認証アプリのワンタイムパスワード（6桁）</label>
    <div class="row">
      <input type="text" id="totp_code" name="totp_code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code">
      <button type="submit" name="factor" value="totp" class="secondary">コードで認証して同意する</button>
    </div>
  </fieldset>
  <button type="submit" name="factor" value="cancel" class="secondary" formnovalidate>同意しない</button>
</form>
<p id="passkey-error" class="error" hidden>パスキーで認証できませんでした。</p>
<script type="application/json" id="webauthn-options">${jsonForScript(view.webauthn)}</script>
<script nonce="${view.scriptNonce}">${PASSKEY_SCRIPT}</script>`;
  return page(`${view.bankName} — ${action.title}`, view.bankName, body);
}

/**
 * navigator.credentials.get with the page's one-time challenge; the answer is posted as JSON in the
 * form. allowCredentials is empty: a passkey is discoverable, and the bank then checks that it belongs
 * to the customer whose password was entered.
 */
const PASSKEY_SCRIPT: SafeHtml = html`
(() => {
  const options = JSON.parse(document.getElementById('webauthn-options').textContent);
  const form = document.getElementById('login');
  const fromB64url = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4)), (c) => c.charCodeAt(0));
  const toB64url = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  document.getElementById('passkey-button').addEventListener('click', async () => {
    if (!form.login_id.reportValidity() || !form.password.reportValidity()) return;
    try {
      const credential = await navigator.credentials.get({ publicKey: { challenge: fromB64url(options.challenge), rpId: options.rpId, userVerification: 'required', timeout: 60000, allowCredentials: [] } });
      const r = credential.response;
      form.webauthn_response.value = JSON.stringify({
        id: credential.id, rawId: toB64url(credential.rawId), type: credential.type,
        response: { authenticatorData: toB64url(r.authenticatorData), clientDataJSON: toB64url(r.clientDataJSON), signature: toB64url(r.signature), userHandle: r.userHandle ? toB64url(r.userHandle) : undefined },
        clientExtensionResults: credential.getClientExtensionResults(), authenticatorAttachment: credential.authenticatorAttachment,
      });
      form.requestSubmit(document.getElementById('passkey-submit'));
    } catch {
      document.getElementById('passkey-error').hidden = false;
    }
  });
})();
`;

/** The legacy bank's page: the 2020 pattern, labelled as such. */
export function legacyConsentPage(view: { bankName: string; partyName: string; claims: RequestClaims; interaction: string; error?: string | undefined }): string {
  const action = ACTIONS[view.claims.action];
  const body = html`
<div class="error"><strong>再現用の脆弱な銀行です。</strong> 2020 年の Web 口座振替と同じく、口座番号・キャッシュカード暗証番号・生年月日だけで「本人認証」します。
これらはどれも認証要素になりません（攻撃者が知り得る情報です）。<br><small>A deliberately insecure legacy bank, reproducing the 2020 pattern.</small></div>
<h1>${view.partyName} からの依頼: ${action.title}</h1>
${view.error === undefined ? '' : html`<div class="error" role="alert">${view.error}</div>`}
<form method="post" action="authorize" autocomplete="off">
  <input type="hidden" name="interaction" value="${view.interaction}">
  <div class="row">
    <div><label for="branch_code">支店番号</label><input type="text" id="branch_code" name="branch_code" required pattern="[0-9]{3}" maxlength="3"></div>
    <div><label for="number">口座番号</label><input type="text" id="number" name="number" required pattern="[0-9]{7}" maxlength="7"></div>
  </div>
  <label for="pin">キャッシュカード暗証番号（4桁）</label>
  <input type="password" id="pin" name="pin" required pattern="[0-9]{4}" maxlength="4">
  <label for="birthdate">生年月日</label>
  <input type="text" id="birthdate" name="birthdate" required placeholder="1965-11-03" maxlength="10">
  <button type="submit" name="factor" value="legacy">登録する</button>
  <button type="submit" name="factor" value="cancel" class="secondary" formnovalidate>やめる</button>
</form>`;
  return page(`${view.bankName} — ${action.title}`, view.bankName, body);
}

/** The page shown when a flow cannot start: the bank never redirects then (SHO-FLOW-8). */
export function errorPage(bankName: string, code: string, description: string): string {
  return page(`${bankName} — エラー`, bankName, html`
<h1>この手続きは開始できません</h1>
<p>リンクの有効期限が切れているか、すでに使用されています。依頼元のサイトからもう一度お試しください。</p>
<p><small>This request cannot be started. Error <code>${code}</code>: ${description}</small></p>`);
}
