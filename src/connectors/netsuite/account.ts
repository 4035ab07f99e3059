/**
 * A NetSuite account's addresses, apart from the signing code (`auth.ts`): the descriptor's profile section needs
 * them without loading the connector.
 */

/** `1234567_SB1` → `1234567-sb1`, the account's part of `<account>.suitetalk.api.netsuite.com`. */
export function accountHost(accountId: string): string {
  return accountId.trim().toLowerCase().replace(/_/g, '-')
}

/** `1234567-sb1` or `1234567_sb1` → `1234567_SB1`, the `realm` of a TBA signature. */
export function accountRealm(accountId: string): string {
  return accountId.trim().toUpperCase().replace(/-/g, '_')
}

/** The REST base URL of an account: `https://1234567-sb1.suitetalk.api.netsuite.com`. */
export function accountUrl(accountId: string): string {
  return `https://${accountHost(accountId)}.suitetalk.api.netsuite.com`
}

/** The account's OAuth 2.0 token endpoint. */
export function tokenEndpoint(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/services/rest/auth/oauth2/v1/token`
}
