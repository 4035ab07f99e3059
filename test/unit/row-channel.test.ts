import {describe, expect, it} from 'vitest'

import {rowChannel} from '../../src/connectors/ftp/row-channel.js'

describe('a callback reader as an async iterable', () => {
  it('gives every row in order, and the reader waits while the consumer has not taken them', async () => {
    let pushed = 0
    const rows = rowChannel<number>(async (push) => {
      for (let row = 0; row < 100; row++) {
        await push(row)
        pushed++
      }
    }, 4)
    const iterator = rows[Symbol.asyncIterator]()
    expect(await iterator.next()).toEqual({done: false, value: 0})
    // The reader is held at the high-water mark, not run to the end of its 100 rows.
    expect(pushed).toBeLessThan(10)
    const rest: number[] = []
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) rest.push(next.value)
    expect(rest).toEqual(Array.from({length: 99}, (_, index) => index + 1))
  })

  it("ends the reader when the consumer stops early (its cleanup runs), and passes on the reader's failure", async () => {
    let cleanedUp = false
    const rows = rowChannel<number>(async (push) => {
      try {
        for (let row = 0; ; row++) await push(row)
      } finally {
        cleanedUp = true
      }
    }, 2)
    for await (const row of rows) if (row === 3) break
    expect(cleanedUp).toBe(true)
    const failing = rowChannel<number>(async (push) => {
      await push(1)
      throw new Error('pricelists.csv not found')
    })
    const seen: number[] = []
    await expect(
      (async () => {
        for await (const row of failing) seen.push(row)
      })(),
    ).rejects.toThrow('pricelists.csv not found')
    expect(seen).toEqual([1])
  })
})
