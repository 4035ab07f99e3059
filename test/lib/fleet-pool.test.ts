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

describe('the fleet runner against installations of one hosted platform', () => {
  it('checks the others while two installations on the same CMS origin hang: only the hanging ones are not checked', async () => {
    const {plantedAt, startFleet} = await import('../../dist/sandbox/fleet.js')
    const hanging = Array.from({length: 24}, (_, index) => index).filter((index) => plantedAt(index) === 'hanging')
    expect(hanging).toHaveLength(2)
    const healthy = ['fleet-01', 'fleet-03', 'fleet-05', 'fleet-09', 'fleet-13', 'fleet-17']
    const fleet = await startFleet({
      only: (id: string) => healthy.includes(id) || id.endsWith('10') || id.endsWith('22'),
      size: 24,
    })
    try {
      // The hanging ones first, so that their requests are in flight while every other is checked.
      const profiles = fleet.profiles().sort((a: {name: string}, b: {name: string}) => {
        const hangs = (name: string) =>
          fleet.plan.find((entry: {id: string}) => entry.id === name)?.planted === 'hanging' ? 0 : 1
        return hangs(a.name) - hangs(b.name) || a.name.localeCompare(b.name)
      })
      const http = new HttpClient()
      const result = await runFleet(
        profiles.map((profile: {name: string; installation?: string}) => ({
          installation: profile.installation ?? null,
          load: async () => profile,
          name: profile.name,
        })),
        {clock: systemClock, commandSuffix: () => '', concurrency: 4, deadlineMs: 3000, http},
      )
      await http.destroy()
      const status = Object.fromEntries(
        result.entries.map((entry: {profile: string; status: string}) => [entry.profile, entry.status]),
      )
      expect(status).toEqual({
        ...Object.fromEntries(healthy.map((id) => [id, 'healthy'])),
        'fleet-10': 'not-checked',
        'fleet-22': 'not-checked',
      })
    } finally {
      await fleet.stop()
    }
  })
})
