import {z} from 'zod'

const id = z.union([z.number(), z.string()]).transform(String)

/** `GET /api/v2/tickets/{id}?include=requester,company`. */
export const ticketAnswer = z.looseObject({
  company: z.looseObject({name: z.string()}).nullish(),
  description_text: z.string().nullish(),
  id,
  requester: z.looseObject({email: z.string().nullish(), name: z.string().nullish()}).nullish(),
  requester_id: id.nullish(),
  subject: z.string().nullish(),
})

/** One conversation: a reply or a note (`private` for an internal one). */
export const conversation = z.looseObject({
  body_text: z.string().nullish(),
  created_at: z.string(),
  from_email: z.string().nullish(),
  id,
  private: z.boolean(),
  user_id: id.nullish(),
})

export const conversations = z.array(conversation)

export const noteAnswer = z.looseObject({id})

export const agentAnswer = z.looseObject({
  contact: z.looseObject({email: z.string().nullish(), name: z.string().nullish()}).nullish(),
  id,
  occasional: z.boolean().nullish(),
  ticket_scope: z.number().nullish(),
})
