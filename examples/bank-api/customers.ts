/**
 * Sandbox customers of the example banks, with KYC records of different quality (issue 5.1).
 *
 * Everything here is fictional. Passwords, TOTP secrets and cash-card PINs are in the clear because this
 * is a sandbox that the demo and the browser test log into; a bank stores password hashes and keeps TOTP
 * secrets in an HSM.
 */
import type { Account, Evidence } from 'shomei';

/** The bank code of しょうめい銀行 (sandbox). */
export const SHOMEI_BANK_CODE = '0999';
/** The bank code of レガシー銀行 (sandbox), the bank that still authenticates with a cash-card PIN. */
export const LEGACY_BANK_CODE = '0998';

const DAY_MS = 86_400_000;

export interface SandboxPerson {
  family_name: string;
  given_name: string;
  family_name_kana: string;
  given_name_kana: string;
  birthdate: string;
  address: { postal_code: string; formatted: string };
}

/** One method of 犯収法施行規則 6条1項1号, as the bank recorded its 取引時確認. */
export interface KycRecord {
  procedure: 'wa' | 'he' | 'ho' | 'i';
  /** On the NIST SP 800-63A scale, per spec/07-kyc.md §7.4 (ホ and visual イ report ial1). */
  assurance_level: 'ial1' | 'ial2';
  /** ISO 8601 with offset. */
  time: string;
  evidence: Evidence[];
}

export interface SandboxAccount extends Account {
  /** 口座名義 as the bank's account-name inquiry (振込口座照会) returns it: half-width kana. */
  holder_kana: string;
}

export interface SandboxCustomer {
  id: string;
  /** Internet-banking login ID. */
  login_id: string;
  password: string;
  /** RFC 6238 TOTP secret (base32), as enrolled in the customer's authenticator app. */
  totp_secret: string;
  /** The 4-digit cash-card PIN: never a factor online; only the legacy bank asks for it. */
  cash_card_pin: string;
  person: SandboxPerson;
  kyc: KycRecord;
  accounts: SandboxAccount[];
  /** Why this customer exists in the sandbox. */
  story: string;
}

/** しょうめい銀行's customers; `now` places the recently opened account three days back. */
export function shomeiBankCustomers(now: number): SandboxCustomer[] {
  return [
    {
      id: 'c-0001',
      login_id: 'yamada',
      password: 'yamada-sandbox-password',
      totp_secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
      cash_card_pin: '1111',
      person: {
        family_name: '山田',
        given_name: '太郎',
        family_name_kana: 'ヤマダ',
        given_name_kana: 'タロウ',
        birthdate: '1985-04-01',
        address: { postal_code: '100-0005', formatted: '東京都千代田区丸の内一丁目1番1号' },
      },
      kyc: {
        procedure: 'wa',
        assurance_level: 'ial2',
        time: '2021-05-10T14:02:00+09:00',
        evidence: [{ type: 'electronic_signature', signature_type: 'jp_jpki_sign', issuer: 'J-LIS', serial_number: '4F2A0001' }],
      },
      accounts: [{ bank_code: SHOMEI_BANK_CODE, branch_code: '101', type: '1', number: '1234567', holder_kana: 'ﾔﾏﾀﾞ ﾀﾛｳ' }],
      story: 'proofed with the JPKI signature certificate of their My Number Card (ワ): the legitimate customer',
    },
    {
      id: 'c-0002',
      login_id: 'sato',
      password: 'sato-sandbox-password',
      totp_secret: 'KRUGS4ZANFZSAYJAORSXG5BAONSWG4TF',
      cash_card_pin: '2222',
      person: {
        family_name: '佐藤',
        given_name: '花子',
        family_name_kana: 'サトウ',
        given_name_kana: 'ハナコ',
        birthdate: '1990-07-15',
        address: { postal_code: '530-0001', formatted: '大阪府大阪市北区梅田一丁目1番1号' },
      },
      kyc: {
        procedure: 'he',
        assurance_level: 'ial2',
        time: '2023-02-01T10:30:00+09:00',
        evidence: [{ type: 'document', check_details: [{ check_method: 'vcrypt' }, { check_method: 'bvr' }], document_details: { type: 'jp_drivers_license' } }],
      },
      accounts: [{ bank_code: SHOMEI_BANK_CODE, branch_code: '102', type: '1', number: '2345678', holder_kana: 'ｻﾄｳ ﾊﾅｺ' }],
      story: 'proofed online with the IC chip of a driving licence and a live selfie (ヘ)',
    },
    {
      id: 'c-0003',
      login_id: 'suzuki',
      password: 'opened-by-the-attacker',
      totp_secret: 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U',
      cash_card_pin: '3333',
      person: {
        family_name: '鈴木',
        given_name: '一郎',
        family_name_kana: 'スズキ',
        given_name_kana: 'イチロウ',
        birthdate: '1970-01-20',
        address: { postal_code: '460-0008', formatted: '愛知県名古屋市中区栄一丁目1番1号' },
      },
      kyc: {
        procedure: 'ho',
        assurance_level: 'ial1',
        time: isoJst(now - 3 * DAY_MS),
        evidence: [{ type: 'document', check_details: [{ check_method: 'vri' }, { check_method: 'bvr' }], document_details: { type: 'jp_drivers_license' } }],
      },
      accounts: [{ bank_code: SHOMEI_BANK_CODE, branch_code: '103', type: '1', number: '3456789', holder_kana: 'ｽｽﾞｷ ｲﾁﾛｳ' }],
      story:
        'opened three days ago with photographs of a forged driving licence (ホ) in the name and birthdate of a securities customer — the SBI Securities pattern of 2020; the attacker holds its login and passkey',
    },
  ];
}

/** レガシー銀行's customer: the victim of the 2020 Web口座振替 pattern. */
export function legacyBankCustomers(): SandboxCustomer[] {
  return [
    {
      id: 'l-0001',
      login_id: 'tanaka',
      password: 'tanaka-sandbox-password',
      totp_secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
      cash_card_pin: '4321',
      person: {
        family_name: '田中',
        given_name: '次郎',
        family_name_kana: 'タナカ',
        given_name_kana: 'ジロウ',
        birthdate: '1965-11-03',
        address: { postal_code: '980-0021', formatted: '宮城県仙台市青葉区中央一丁目1番1号' },
      },
      kyc: {
        procedure: 'i',
        assurance_level: 'ial2',
        time: '2021-09-13T11:00:00+09:00',
        evidence: [{ type: 'document', check_details: [{ check_method: 'vcrypt' }], document_details: { type: 'jp_individual_number_card' } }],
      },
      accounts: [{ bank_code: LEGACY_BANK_CODE, branch_code: '201', type: '1', number: '4567890', holder_kana: 'ﾀﾅｶ ｼﾞﾛｳ' }],
      story: 'a long-standing customer proofed at a branch; the attacker knows the account number, cash-card PIN and birthdate',
    },
  ];
}

/** The customer's KYC record as OpenID IDA `verified_claims` (spec/07-kyc.md), minimised to what matching needs. */
export function verifiedClaimsOf(customer: SandboxCustomer) {
  return {
    verification: {
      trust_framework: 'jp_aml',
      assurance_level: customer.kyc.assurance_level,
      assurance_process: { procedure: `jp_aml.r6_1_1.${customer.kyc.procedure}` },
      time: customer.kyc.time,
      evidence: customer.kyc.evidence,
    },
    claims: {
      family_name: customer.person.family_name,
      given_name: customer.person.given_name,
      'family_name#ja-Kana-JP': customer.person.family_name_kana,
      'given_name#ja-Kana-JP': customer.person.given_name_kana,
      birthdate: customer.person.birthdate,
    },
  };
}

/** The customer's record in the form `compareIdentity` takes. */
export function identityRecordOf(customer: SandboxCustomer) {
  return {
    name: `${customer.person.family_name} ${customer.person.given_name}`,
    name_kana: `${customer.person.family_name_kana} ${customer.person.given_name_kana}`,
    birthdate: customer.person.birthdate,
    address: customer.person.address,
  };
}

/** `YYYY-MM-DDThh:mm:ss+09:00` for a time in ms. */
function isoJst(ms: number): string {
  return `${new Date(ms + 9 * 3_600_000).toISOString().slice(0, 19)}+09:00`;
}
