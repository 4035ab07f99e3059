/**
 * The library as the generated histories use it: the built modules under dist/, the ones the CLI and test/lib
 * run, so the history, the sandbox and the trace share one instance of each (the sandbox's emulator registry
 * above all), typed as their source. The histories are test code and never ship: `npm run build` first.
 */
import * as ftpLayoutsBuilt from '../../dist/connectors/ftp/layouts/registry.js'
import * as httpBuilt from '../../dist/http/client.js'
import * as invariantsBuilt from '../../dist/report/invariants.js'
import * as erpRegistryBuilt from '../../dist/sandbox/erp/registry.js'
import * as jobsBuilt from '../../dist/sandbox/jobs.js'
import * as jobsPricesBuilt from '../../dist/sandbox/jobs-prices.js'
import * as priceRuleBuilt from '../../dist/model/price.js'
import * as publishPricesBuilt from '../../dist/sandbox/publish-prices.js'
import * as sandboxBuilt from '../../dist/sandbox/sandbox.js'
import * as traceBuilt from '../../dist/trace/run.js'
import type * as FtpLayouts from '../../src/connectors/ftp/layouts/registry.js'
import type * as Http from '../../src/http/client.js'
import type * as Invariants from '../../src/report/invariants.js'
import type * as ErpRegistry from '../../src/sandbox/erp/registry.js'
import type * as Jobs from '../../src/sandbox/jobs.js'
import type * as JobsPrices from '../../src/sandbox/jobs-prices.js'
import type * as PriceRule from '../../src/model/price.js'
import type * as PublishPrices from '../../src/sandbox/publish-prices.js'
import type * as Sandbox from '../../src/sandbox/sandbox.js'
import type * as Trace from '../../src/trace/run.js'

export const {ftpLayoutFor} = ftpLayoutsBuilt as unknown as typeof FtpLayouts
export const {HttpClient} = httpBuilt as unknown as typeof Http
export const {checkReportInvariants} = invariantsBuilt as unknown as typeof Invariants
export const {emulatedSystems, emulatorFor, emulatorOf, loadEmulators} =
  erpRegistryBuilt as unknown as typeof ErpRegistry
export const {publishCustomer, publishItem, runCustomerSync, runItemSync} = jobsBuilt as unknown as typeof Jobs
export const {runPriceSync} = jobsPricesBuilt as unknown as typeof JobsPrices
export const {publishPricing, republishPrices} = publishPricesBuilt as unknown as typeof PublishPrices
// The contract's normative resolution rule (the oracle computes each hop's price with it, never with the diagnosis).
export const {resolvePrice, samePrice} = priceRuleBuilt as unknown as typeof PriceRule
export const {startInstallation} = sandboxBuilt as unknown as typeof Sandbox
export const {traceCustomer, traceItem, traceOrder, traceRecord} = traceBuilt as unknown as typeof Trace

export type {FtpLayoutId, OutboundFolder} from '../../src/connectors/ftp/layouts/types.js'
export type {EmulatedErp, EmulatedPrices} from '../../src/emulation/erp-emulator.js'
export type {PriceInputs, PriceRow, ResolvedPrice} from '../../src/model/price.js'
export type {TraceReport} from '../../src/report/types.js'
export type {SandboxInstallation} from '../../src/sandbox/sandbox.js'
export type {
  ExportsState,
  InstallationState,
  OrderFile,
  PlatformCustomerJson,
  PlatformItemJson,
} from '../../src/sandbox/state.js'
