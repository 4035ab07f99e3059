import {z} from 'zod'

import {identifier, optionalErrorText, optionalNumber, optionalText, optionalTextList, optionalTime} from '../schema.js'

/** The platform contract's sync runs, jobs, per-record outcomes and request states (shared/contracts/platform-api.md). */
export const syncRun = z
  .looseObject({
    // Only `read` is used: how many records the run read from its source (a reconcile's first estimate).
    counts: z.looseObject({read: optionalNumber}).nullish().catch(null),
    entity: optionalText,
    error: optionalErrorText,
    finishedAt: optionalTime,
    keys: optionalTextList,
    mode: optionalText,
    requestedBy: optionalText,
    runId: identifier,
    source: optionalText,
    sourceFile: optionalText,
    sourceFileModifiedAt: optionalTime,
    startedAt: optionalTime,
    status: optionalText,
  })
  .transform((run) => ({
    ...run,
    entity: run.entity ?? '',
    mode: run.mode ?? 'auto',
    readCount: run.counts?.read ?? null,
    status: run.status ?? 'unknown',
  }))

export const syncRuns = z.looseObject({runs: z.array(syncRun)}).transform((body) => body.runs)

export const syncJob = z
  .looseObject({
    createdAt: optionalTime,
    entity: optionalText,
    error: optionalErrorText,
    finishedAt: optionalTime,
    jobId: identifier,
    keys: optionalTextList,
    mode: optionalText,
    progress: z.looseObject({done: optionalNumber, total: optionalNumber}).nullish(),
    requestedBy: optionalText,
    runId: optionalText,
    startedAt: optionalTime,
    status: optionalText,
  })
  .transform((job) => ({
    ...job,
    entity: job.entity ?? '',
    mode: job.mode ?? '',
    progress: job.progress ? {done: job.progress.done ?? 0, total: job.progress.total ?? 0} : null,
    status: job.status ?? 'unknown',
  }))

export const syncRecords = z
  .looseObject({
    records: z.array(
      z.looseObject({at: optionalTime, outcome: optionalText, reason: optionalText, runId: optionalText}),
    ),
  })
  .transform((body) =>
    body.records.map((record) => ({
      at: record.at,
      outcome: record.outcome ?? 'unknown',
      reason: record.reason,
      runId: record.runId ?? '',
    })),
  )

/** The job id a 409 `job_running` names, so the tool can attach to it. */
export const runningJob = z
  .looseObject({error: z.looseObject({code: z.literal('job_running'), jobId: identifier})})
  .transform((body) => body.error.jobId)
export const pendingRequest = z
  .looseObject({doneAt: optionalTime, requestId: identifier, status: optionalText})
  .transform((request) => ({doneAt: request.doneAt, requestId: request.requestId, status: request.status ?? 'unknown'}))
