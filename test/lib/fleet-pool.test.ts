import {describe, expect, it} from 'vitest'

import {runFleet} from '../../dist/doctor/fleet.js'
import {HttpClient} from '../../dist/http/client.js'
import {systemClock} from '../../dist/util/clock.js'

describe('the fleet runner', () => {
  it('checks at most --concurrency installations at once, and reports one whose profile does not load as not checked (exit 4)', async () => {
    let active = 0
    let most = 0
    const members = Array.from({length: 10}, (_, index) => ({
      installation: `i-${index}`,
      load: async () => {
        active += 1
        most = Math.max(most, active)
        await new Promise((resolve) => setImmediate(resolve))
        active -= 1
        throw new Error(`no secret for i-${index}`)
      },
      name: `p-${index}`,
    }))
    const result = await runFleet(members, {
      clock: systemClock,
      commandSuffix: () => '',
      concurrency: 3,
      deadlineMs: 5000,
      http: new HttpClient(),
    })
    expect(most).toBe(3)
    expect(result.exitCode).toBe(4)
    expect(result.entries.map((entry: {profile: string}) => entry.profile)).toEqual(
      members.map((member) => member.name),
    )
    expect(result.entries[0].problems[0].summary).toBe('its profile could not be loaded: no secret for i-0')
  })
})
