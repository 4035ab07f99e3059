import {z} from 'zod'

const id = z.union([z.number(), z.string()]).transform(String)
const user = z.looseObject({email: z.string().nullish(), id, name: z.string().nullish()})

export const ticketAnswer = z.looseObject({
  organizations: z.array(z.looseObject({id, name: z.string()})).optional(),
  ticket: z.looseObject({
    description: z.string().nullish(),
    id,
    organization_id: id.nullish(),
    requester_id: id.nullish(),
    subject: z.string().nullish(),
  }),
  users: z.array(user).optional(),
})

export const comment = z.looseObject({
  author_id: id.nullish(),
  body: z.string().nullish(),
  created_at: z.string(),
  id,
  plain_body: z.string().nullish(),
  public: z.boolean(),
})

/** A cursor page: `meta.has_more`, `links.next` (the next page's URL). */
export const commentsPage = z.looseObject({
  comments: z.array(comment),
  links: z.looseObject({next: z.string().nullish()}).nullish(),
  meta: z.looseObject({has_more: z.boolean()}).nullish(),
  users: z.array(user).optional(),
})

/** The update's audit: its Comment event carries the new comment's id. */
export const updateAnswer = z.looseObject({
  audit: z.looseObject({events: z.array(z.looseObject({id: id.nullish(), type: z.string()})).optional()}).nullish(),
  ticket: z.looseObject({id}),
})

export const meAnswer = z.looseObject({
  user: z.looseObject({email: z.string().nullish(), id: id.nullable(), name: z.string().nullish(), role: z.string()}),
})

export type ZendeskUser = z.infer<typeof user>
