import {actionFor} from '../diagnose/actions.js'
import type {Action, CauseCode} from '../report/types.js'
import type {ClassSummary, ReconcileClass, ReconcileTarget} from './types.js'

interface ClassRule {
  /** The trace's cause (and so its action), when there is one. */
  cause: CauseCode | null
  meaning: string
  fix: ClassSummary['fix']
  /** For classes without a trace cause. */
  action?: Pick<Action, 'kind' | 'owner' | 'automatable' | 'description'>
}

const platformSupport = (what: string): ClassRule['action'] => ({
  automatable: false,
  description: `Contact platform support with the records: ${what}`,
  kind: 'contact-platform-support',
  owner: 'platform-support',
})

/** Every class: what it means, the trace cause it shares, and whether `--fix` performs its action. */
export const classRules: Record<ReconcileClass, ClassRule> = {
  'app-differs-from-cms': {
    cause: 'app-differs-from-cms',
    fix: null,
    meaning: 'the app holds other values although it was published after the last CMS write',
  },
  'app-publish-behind': {
    cause: 'app-publish-behind',
    fix: 'targeted-sync',
    meaning: 'the app holds an older version: published before the last CMS write',
  },
  'change-order-unknown': {
    cause: 'change-order-unknown',
    fix: 'targeted-sync',
    meaning:
      'differs from (or is missing in) the CMS; the ERP keeps no change time, so whether it changed after the last sync cannot be told',
  },
  'cms-differs-from-erp': {
    cause: 'cms-differs-from-erp',
    fix: null,
    meaning: 'differs although the CMS synced after the source last changed (a mapping or a manual CMS edit)',
  },
  'stock-not-synced': {
    cause: 'stock-not-synced',
    fix: 'targeted-sync',
    meaning:
      'the stock differs and the difference is older than the last stock sync (the export version that sync read holds it)',
  },
  'created-after-sync': {
    cause: 'created-after-sync',
    fix: 'targeted-sync',
    meaning: 'not in the CMS: created or changed in the source after the last sync started',
  },
  'duplicate-key': {
    action: platformSupport('a list gave the same key twice.'),
    cause: null,
    fix: null,
    meaning: 'the key is listed more than once on one side; only its first record was compared',
  },
  'erp-changed-after-sync': {
    cause: 'erp-changed-after-sync',
    fix: 'targeted-sync',
    meaning: 'the CMS holds an older version: changed in the source after the last sync',
  },
  'excluded-by-filter': {
    cause: 'excluded-by-filter',
    fix: null,
    meaning:
      'not in the CMS on purpose, as a trace says: inactive in the ERP, ~ in the export, no name, a CMS filter (private, blocked), or skipped by the latest run',
  },
  'export-row-unreadable': {
    cause: 'export-row-unreadable',
    fix: null,
    meaning: 'its row in the export file cannot be read (file and line given)',
  },
  'item-excluded': {
    cause: 'item-excluded',
    fix: null,
    meaning:
      'not in the CMS on purpose, as a trace says: inactive or blocked in the ERP or the export, no vatincluded (Monitor), or not a webshop item while onlyWebshopItems is on',
  },
  'new-customer-not-in-erp': {
    cause: 'new-customer-not-in-erp',
    fix: null,
    meaning: 'created in the app or webshop, in the CMS, but not in the source',
  },
  'not-a-webshop-item': {
    cause: 'not-a-webshop-item',
    fix: null,
    meaning: 'not in the webshop because it is not flagged as a webshop item',
  },
  'not-in-export': {cause: 'not-in-export', fix: null, meaning: 'in the CMS but not in the export files'},
  'not-published-to-app': {
    cause: 'not-published-to-app',
    fix: 'targeted-sync',
    meaning: 'in the CMS, never published to the app',
  },
  'not-published-to-webshop': {
    cause: 'not-published-to-webshop',
    fix: 'webshop-republish',
    meaning: 'in the CMS, never reached the webshop',
  },
  'not-read-by-sync': {
    cause: 'not-read-by-sync',
    fix: 'targeted-sync',
    meaning: 'not in the CMS although the last sync ran after the source last changed it',
  },
  'not-visible-to-user': {
    action: {
      automatable: true,
      description:
        "Run a targeted CMS sync of the records (admin): the app gets them again with the users of their sales reps. If they still miss a user, check the rep's user in the CMS.",
      kind: 'targeted-sync',
      owner: 'admin',
    },
    cause: null,
    fix: 'targeted-sync',
    meaning: "published to the app, but not visible to an app user of the customer's sales rep",
  },
  'only-in-app': {
    action: platformSupport('the app holds records the CMS does not have.'),
    cause: null,
    fix: null,
    meaning: 'published in the app, but the CMS does not have it',
  },
  'only-in-webshop': {
    action: platformSupport('the webshop holds records the CMS does not have.'),
    cause: null,
    fix: null,
    meaning: 'in the webshop, but the CMS does not have it',
  },
  'price-changed-after-sync': {
    cause: 'price-changed-after-sync',
    fix: 'targeted-sync',
    meaning:
      'the CMS holds an older price row (price or dates differ): the source changed it after the last prices sync of its list',
  },
  'price-row-skipped': {
    cause: 'price-row-skipped',
    fix: null,
    meaning:
      "a row the CMS's prices run skipped, with its reason (unknown item, unit differs, row expired, duplicate, unreadable): a sync would skip it again",
  },
  'record-unreadable': {
    cause: 'hop-error',
    fix: null,
    meaning: 'the record on the page could not be read (the error names the field); the rest of the side still counts',
  },
  'removed-from-erp': {
    cause: 'removed-from-erp',
    fix: null,
    meaning: 'in the CMS, but the ERP does not have it (anymore)',
  },
  'webshop-behind': {
    cause: 'webshop-behind',
    fix: 'webshop-republish',
    meaning: 'the webshop holds an older version: pushed before the last CMS write',
  },
  'webshop-differs-from-cms': {
    cause: 'webshop-differs-from-cms',
    fix: null,
    meaning: 'the webshop holds other values although it was pushed after the last CMS write',
  },
}

/** The summary row of one class: its count, meaning and the action the trace would give for one of its records. */
export function classSummary(
  klass: ReconcileClass,
  count: number,
  entity: ReconcileTarget,
  commandSuffix: string,
): ClassSummary {
  const rule = classRules[klass]
  const singular = entity === 'customers' ? 'customer' : entity === 'items' ? 'item' : 'price'
  // A price row is synced, republished and traced by its list: `synctrace sync prices <list>`.
  const prices = entity === 'prices'
  const action =
    rule.action ??
    (rule.cause
      ? actionFor(rule.cause, {
          commandSuffix,
          entity: singular,
          key: prices ? '<list>' : '<code>',
          traceCommand: prices ? 'synctrace trace price <customer> <item>' : `synctrace trace ${singular} <code>`,
          ...(prices ? {sync: {key: '<list>', noun: 'prices'}} : {}),
        })
      : undefined)
  const {automatable, description, kind, owner} = action ?? {
    automatable: false,
    description: '',
    kind: 'none' as const,
    owner: 'nobody' as const,
  }
  return {
    action: {automatable, description, kind, owner},
    cause: rule.cause,
    class: klass,
    count,
    fix: rule.fix,
    meaning: rule.meaning,
  }
}
