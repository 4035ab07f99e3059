import type {CauseCode} from '../report/types.js'
import {shellQuote} from '../util/shell.js'
import {
  type ActionTemplate,
  fixInErpThenRetransfer,
  platformSupport,
  retransfer,
  retryTrace,
  targetedSync,
  waitThenTrace,
  webshopRepublish,
  withSuffix,
} from './action-templates.js'

/**
 * The cause table: the action that fits each cause, with its owner and its text (and the command, where one
 * fits): one table, so every cause has exactly one answer. docs/diagnosis.md, README's sandbox tables and the
 * report invariants' documented actions are tested against it (test/unit/cause-table.test.ts); reconcile's
 * classes take their action from it through their cause (src/reconcile/classes.ts).
 */
export const causeTable: Record<CauseCode, ActionTemplate> = {
  'app-differs-from-cms': platformSupport(
    'the app holds a different version than the CMS although it was published after the last CMS write.',
  ),
  'app-publish-behind': targetedSync,
  'cms-differs-from-erp': platformSupport(
    'the CMS synced after the ERP change but holds different values (a mapping or a manual CMS edit).',
  ),
  consistent: {
    automatable: false,
    describe: () => 'Nothing to do: the record is consistent at every hop checked.',
    kind: 'none',
    owner: 'nobody',
  },
  'created-after-sync': targetedSync,
  'device-not-refreshed': {
    automatable: true,
    command: (context) =>
      withSuffix(`synctrace refresh app --user ${shellQuote(context.userId ?? '<userId>')}`, context),
    describe: (context) =>
      `Request a full refresh of the app for ${context.userId ?? 'the user'} (admin): every device of the user refreshes at its next start. The rep can also simply refresh the app.`,
    kind: 'app-full-refresh',
    owner: 'admin',
  },
  'erp-changed-after-sync': targetedSync,
  'expected-stock-lag': {
    automatable: false,
    describe: () => 'Nothing to do: the stock moved after the last stock sync; the next sync brings it.',
    kind: 'none',
    owner: 'nobody',
  },
  'item-excluded': {
    automatable: false,
    describe: () =>
      'A sync would skip it again. The ERP consultant changes the item in the ERP (active, webshop flag), or an admin changes the CMS setting named in the evidence; then sync it.',
    kind: 'change-filter-or-erp-flag',
    owner: 'erp-consultant',
  },
  'not-a-webshop-item': {
    automatable: false,
    describe: (context) =>
      `The item is not flagged for the webshop. If it should be sold there, the ERP consultant flags ${context.key} as a webshop item in the ERP; the next item sync publishes it.`,
    kind: 'flag-webshop-in-erp',
    owner: 'erp-consultant',
  },
  'stock-not-synced': targetedSync,
  'customer-file-waiting': {
    automatable: false,
    describe: () =>
      "Contact the IT partner: the ERP's import job is not picking up new-customer files from Customers/ (the file's age is in the evidence).",
    kind: 'contact-it-partner',
    owner: 'it-partner',
  },
  'customer-not-uploaded': {
    automatable: false,
    describe: () =>
      'The sales rep opens the app while online so the device uploads the new customer. Nothing can be synced from here: it exists only on the device.',
    kind: 'rep-opens-app-online',
    owner: 'sales-rep',
  },
  'customer-rejected-by-erp': {
    automatable: false,
    describe: () =>
      "The ERP consultant fixes what the ERP's import rejected (the reason is in the evidence) and imports the customer file again.",
    kind: 'confirm-with-erp-consultant',
    owner: 'erp-consultant',
  },
  'new-customer-not-in-erp': platformSupport(
    'a customer created in the app or webshop has not been created in the ERP by the CMS (the connector may not allow creating customers).',
  ),
  'order-file-missing': retransfer,
  'order-file-waiting': {
    automatable: false,
    describe: () =>
      "Contact the IT partner: the ERP's import job is not picking up order files (the file's age is in the evidence). Retransferring would only add another file.",
    kind: 'contact-it-partner',
    owner: 'it-partner',
  },
  'order-missing-in-erp': {
    automatable: false,
    describe: (context) =>
      `Ask the ERP consultant to look for order ${context.key} in the ERP (the CMS reports it as sent); if it is not there, retransfer it.`,
    kind: 'confirm-with-erp-consultant',
    owner: 'erp-consultant',
  },
  'order-not-found': {
    automatable: false,
    describe: (context) => `Check the order number ${context.key}: no device, webshop or CMS knows it.`,
    kind: 'check-key',
    owner: 'support',
  },
  'order-not-uploaded': {
    automatable: false,
    describe: () =>
      'The sales rep opens the app while online so the device uploads the order. Nothing can be synced from here: the order exists only on the device.',
    kind: 'rep-opens-app-online',
    owner: 'sales-rep',
  },
  'order-on-hold': platformSupport('the CMS holds the order back (on hold); an admin releases it in the CMS.'),
  'order-prerequisite-missing': fixInErpThenRetransfer,
  'order-rejected-by-erp': fixInErpThenRetransfer,
  'order-transfer-failed': retransfer,
  'order-transfer-pending': waitThenTrace(
    'Wait: the CMS transfers queued orders within minutes. Trace again in 15 minutes.',
  ),
  'order-transfer-stuck': retransfer,
  'webshop-order-not-handed-over': platformSupport('the webshop has the order but never handed it to the CMS.'),
  'export-missing': {
    automatable: false,
    describe: () =>
      'Contact the IT partner: the ERP export files are not in the folder the CMS reads. Give them the evidence (server, folder, file names).',
    kind: 'contact-it-partner',
    owner: 'it-partner',
  },
  'export-row-unreadable': {
    automatable: false,
    describe: (context) =>
      `Contact the IT partner with the file and line: the ERP export writes a row for ${context.key} that cannot be read, so the CMS cannot import it. After the export is fixed, sync the customer.`,
    kind: 'contact-it-partner',
    owner: 'it-partner',
  },
  'export-stale': {
    automatable: false,
    describe: () =>
      'Contact the IT partner: the ERP export job has stopped writing the file (its time is in the evidence). A sync would only read the old file again.',
    kind: 'contact-it-partner',
    owner: 'it-partner',
  },
  'excluded-by-filter': {
    automatable: false,
    describe: () =>
      'A sync would skip it again. Either an admin changes the CMS filter named in the evidence, or the ERP consultant changes the flag on the customer in the ERP (e.g. no longer private); then sync it.',
    kind: 'change-filter-or-erp-flag',
    owner: 'erp-consultant',
  },
  'hop-not-checked': retryTrace(
    'A hop on the path was not checked (the profile gives no access to it): add its credentials to the profile, then trace again.',
  ),
  'change-order-unknown': {
    ...targetedSync,
    describe: (context) =>
      `The source keeps no change time for ${context.entity} ${context.key}, so it cannot be told whether it changed after the last sync. Run a targeted CMS sync of it (admin) first; if the difference is still there after that sync, contact platform support with both reports.`,
  },
  'hop-error': retryTrace(
    'A hop answered with an error: check its credentials and status (see the hop table), then trace again.',
  ),
  'hop-unreachable': retryTrace('A hop could not be reached: check the service and the network, then trace again.'),
  'no-app-user-for-sales-rep': {
    automatable: false,
    describe: () =>
      "No app user has the customer's sales rep code: an admin assigns the code to the rep's user in the CMS.",
    kind: 'assign-sales-rep-to-user',
    owner: 'admin',
  },
  'not-assigned-to-user': {
    automatable: false,
    describe: () =>
      "The customer is assigned to another sales rep in the ERP. If this user should see it, the ERP consultant changes the customer's sales rep (customer manager) in the ERP; the next sync brings it to the user.",
    kind: 'change-assignment-in-erp',
    owner: 'erp-consultant',
  },
  'not-in-cms': {
    automatable: false,
    describe: (context) =>
      `Check the code ${context.key}; if it is right, ask the ERP consultant whether the ERP has the customer and exports it.`,
    kind: 'check-key',
    owner: 'support',
  },
  'not-in-export': {
    automatable: false,
    describe: (context) =>
      `Contact the IT partner or the ERP consultant: customer ${context.key} is not in the ERP's export files, which are otherwise fine. They check whether it exists in the ERP and why the export leaves it out (a filter, an inactive flag, another company).`,
    kind: 'contact-it-partner',
    owner: 'it-partner',
  },
  'not-in-erp': {
    automatable: false,
    describe: (context) =>
      `Check the code ${context.key} with the customer (typo, leading zeros, another installation); if it is right, the ERP consultant creates the customer in the ERP.`,
    kind: 'check-key',
    owner: 'erp-consultant',
  },
  'not-published-to-app': targetedSync,
  'not-published-to-webshop': webshopRepublish,
  'not-read-by-sync': targetedSync,
  'price-changed-after-sync': targetedSync,
  'price-list-not-in-export': {
    automatable: false,
    describe: (context) =>
      `Contact the IT partner: the customer's price list${context.sync ? ` ${context.sync.key}` : ''} is named in customers.csv but not written to pricelists.csv, so the CMS deactivated it and the customer gets the base price everywhere. The ERP's export job must write the list; then an admin syncs prices.`,
    kind: 'contact-it-partner',
    owner: 'it-partner',
  },
  'price-row-skipped': {
    automatable: false,
    describe: () =>
      "The CMS's prices run skipped the ERP's row (the reason is in the evidence: unknown item, unit differs, duplicate). The ERP consultant corrects the row (or the item) in the ERP; the next prices sync of the list brings it.",
    kind: 'confirm-with-erp-consultant',
    owner: 'erp-consultant',
  },
  'pricing-changed-after-sync': targetedSync,
  'removed-from-erp': {
    automatable: false,
    describe: (context) =>
      `Ask the ERP consultant whether ${context.entity} ${context.key} was deleted or renumbered in the ERP on purpose; the CMS still holds the old record.`,
    kind: 'confirm-with-erp-consultant',
    owner: 'erp-consultant',
  },
  'sync-failed-for-record': platformSupport('the CMS sync failed on this record (reason in the evidence).'),
  'webshop-behind': webshopRepublish,
  'webshop-differs-from-cms': platformSupport(
    'the webshop holds a different version than the CMS although it was pushed after the last CMS write.',
  ),
  'webshop-push-pending': waitThenTrace(
    'Wait: the CMS pushes to the webshop within minutes of a sync. Trace again in 15 minutes.',
  ),
}
