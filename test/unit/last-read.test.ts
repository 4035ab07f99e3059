import {describe, expect, it} from 'vitest'

import {lastReadAt} from '../../src/connectors/platform/schedule.js'
import type {SyncRun} from '../../src/connectors/platform/types.js'

const at = (iso: string) => new Date(iso)
const run = (startedAt: string, finishedAt: string): SyncRun =>
  ({
    entity: 'customers',
    finishedAt: at(finishedAt),
    keys: ['41001'],
    mode: 'targeted',
    runId: 'r-1',
    startedAt: at(startedAt),
    status: 'succeeded',
  }) as unknown as SyncRun

describe('when the CMS last read a record', () => {
  it("counts a write made by a run from that run's start: the run read the record before it wrote it", () => {
    const runs = [run('2026-12-05T07:49:51Z', '2026-12-05T07:50:51Z')]
    expect(lastReadAt(at('2026-12-05T07:50:51Z'), [], runs)).toEqual(at('2026-12-05T07:49:51Z'))
  })

  it('keeps the write time when no run it knows made the write', () => {
    const runs = [run('2026-12-05T05:00:00Z', '2026-12-05T05:01:00Z')]
    expect(lastReadAt(at('2026-12-05T07:50:51Z'), [], runs)).toEqual(at('2026-12-05T07:50:51Z'))
  })
})
