import {z} from 'zod'

const user = z.looseObject({displayName: z.string().nullish(), emailAddress: z.string().nullish()})

/** `GET /rest/api/3/issue/{key}?fields=*navigable&expand=names`: fields by id, `names` maps ids to field names. */
export const issueAnswer = z.looseObject({
  fields: z.looseObject({
    description: z.unknown().optional(),
    reporter: user.nullish(),
    summary: z.string().nullish(),
  }),
  key: z.string(),
  names: z.record(z.string(), z.string()).optional(),
})

export const comment = z.looseObject({
  author: user.nullish(),
  body: z.unknown(),
  created: z.string(),
  id: z.union([z.number(), z.string()]).transform(String),
  jsdPublic: z.boolean().optional(),
  properties: z.array(z.looseObject({key: z.string(), value: z.unknown()})).optional(),
})

/** `{startAt, maxResults, total, comments}`. */
export const commentsPage = z.looseObject({
  comments: z.array(comment),
  maxResults: z.number(),
  startAt: z.number(),
  total: z.number(),
})

export const createdComment = z.looseObject({id: z.union([z.number(), z.string()]).transform(String)})

export const myself = z.looseObject({
  accountId: z.string(),
  displayName: z.string().nullish(),
  emailAddress: z.string().nullish(),
})

export const myPermissions = z.looseObject({
  permissions: z.record(z.string(), z.looseObject({havePermission: z.boolean()})),
})

export type JiraComment = z.infer<typeof comment>
