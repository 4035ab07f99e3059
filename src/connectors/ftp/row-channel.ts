/**
 * A reader that calls back row by row (the export readers) as an async iterable: the reader waits while
 * `highWater` rows are not taken yet, so a large file is read at the consumer's pace and never sits in
 * memory; a consumer that stops early ends the reader (its `push` throws) so the session is closed.
 */
export function rowChannel<T>(
  produce: (push: (value: T) => Promise<void>) => Promise<void>,
  highWater = 256,
): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const buffered: T[] = []
      let finished = false
      let cancelled = false
      let failure: {error: unknown} | null = null
      let wakeConsumer: (() => void) | null = null
      let wakeProducer: (() => void) | null = null
      const wake = (which: 'consumer' | 'producer') => {
        const resolve = which === 'consumer' ? wakeConsumer : wakeProducer
        if (which === 'consumer') wakeConsumer = null
        else wakeProducer = null
        resolve?.()
      }
      const push = async (value: T) => {
        if (cancelled) throw new Error('the listing was stopped')
        buffered.push(value)
        wake('consumer')
        if (buffered.length >= highWater) await new Promise<void>((resolve) => (wakeProducer = resolve))
        if (cancelled) throw new Error('the listing was stopped')
      }
      let started: Promise<void> | null = null
      const start = () =>
        produce(push).then(
          () => undefined,
          (error: unknown) => {
            if (!cancelled) failure = {error}
          },
        )
      return {
        async next(): Promise<IteratorResult<T>> {
          started ??= start().finally(() => {
            finished = true
            wake('consumer')
          })
          for (;;) {
            if (buffered.length > 0) {
              const value = buffered.shift() as T
              if (buffered.length < highWater) wake('producer')
              return {done: false, value}
            }
            if (failure) throw failure.error
            if (finished) return {done: true, value: undefined}
            await new Promise<void>((resolve) => (wakeConsumer = resolve))
          }
        },
        async return(): Promise<IteratorResult<T>> {
          cancelled = true
          wake('producer')
          await started
          return {done: true, value: undefined}
        },
      }
    },
  }
}
