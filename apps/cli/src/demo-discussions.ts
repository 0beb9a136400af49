/**
 * The demo's condition groups and their conversations, written as members of such groups write.
 * Handles refer to the demo accounts of seed-demo.ts.
 */
export interface DemoReply {
  author: string;
  body: string;
  /** Index of the earlier reply this one answers (-1: the first post). */
  replyTo?: number;
}

export interface DemoThread {
  author: string;
  title: string;
  body: string;
  replies: DemoReply[];
}

export interface DemoGroup {
  slug: string;
  name: string;
  condition: string;
  conditionCode: string;
  description: string;
  visibility: 'public' | 'private';
  joinPolicy: 'open' | 'approval';
  /** A platform moderator: creates the group and becomes its moderator. */
  moderator: string;
  members: string[];
  threads: DemoThread[];
}

export const DEMO_GROUPS: DemoGroup[] = [
  {
    slug: 't1d-parents',
    name: 'Parents of children with type 1 diabetes',
    condition: 'Type 1 diabetes',
    conditionCode: 'E10',
    description: 'For parents and carers of children and teenagers living with type 1 diabetes.',
    visibility: 'public',
    joinPolicy: 'open',
    moderator: 'nurse_ines',
    members: ['rosa_t1d', 'quiet_reader', 'sam_ibd'],
    threads: [
      {
        author: 'rosa_t1d',
        title: 'Night-time lows: how do you sleep at all?',
        body:
          'Our son (7) was diagnosed in March. We set alarms for 2am and 4am to check him.\n\n' +
          'Does it get **easier**? Did a CGM change things for you?',
        replies: [
          {
            author: 'nurse_ines',
            body:
              'A CGM with a low alarm helps many families; ask your clinic about it. ' +
              'Please keep your night checks until the team changes the plan.',
          },
          {
            author: 'sam_ibd',
            body: 'Not my condition, but the tiredness sounds so familiar. Sending strength.',
          },
          {
            author: 'rosa_t1d',
            body: 'Thank you both. The clinic has us on the list for a sensor next month.',
            replyTo: 0,
          },
        ],
      },
      {
        author: 'rosa_t1d',
        title: 'School trips and insulin: what goes in your bag?',
        body: '- glucose tabs\n- spare pen needles\n- a printed plan for the teachers\n\nWhat else?',
        replies: [{ author: 'nurse_ines', body: 'A snack with slow carbs, and ketone strips.' }],
      },
    ],
  },
  {
    slug: 'breast-cancer-survivors',
    name: 'Breast cancer survivors',
    condition: 'Breast cancer',
    conditionCode: 'C50',
    description: 'A closed circle for life after treatment. Requests to join are approved by hand.',
    visibility: 'private',
    joinPolicy: 'approval',
    moderator: 'nurse_ines',
    members: ['mei_pink_ribbon', 'quiet_reader'],
    threads: [
      {
        author: 'mei_pink_ribbon',
        title: 'Fear of recurrence before every scan',
        body:
          'Two years clear and still, the week before a scan, I cannot think of anything else. ' +
          'How do you get through *scanxiety*?',
        replies: [
          {
            author: 'nurse_ines',
            body: 'Many survivors describe exactly this. Booking the results call for the same day helps some.',
          },
          { author: 'mei_pink_ribbon', body: 'Same-day results: I will ask for that.', replyTo: 0 },
        ],
      },
    ],
  },
  {
    slug: 'living-with-ibd',
    name: "Living with IBD (Crohn's and colitis)",
    condition: 'Inflammatory bowel disease',
    conditionCode: 'K50',
    description: "Peer support for people living with Crohn's disease or ulcerative colitis.",
    visibility: 'public',
    joinPolicy: 'open',
    moderator: 'nurse_ines',
    members: ['sam_ibd', 'quiet_reader'],
    threads: [
      {
        author: 'sam_ibd',
        title: 'Starting a biologic next week',
        body: 'First infusion on Tuesday. Anything you wish you had known before yours?',
        replies: [
          { author: 'nurse_ines', body: 'Bring something to read, and drink water beforehand.' },
          { author: 'sam_ibd', body: 'Update: it went fine, a long but calm afternoon.' },
        ],
      },
    ],
  },
  {
    slug: 'bipolar-peer-support',
    name: 'Bipolar peer support',
    condition: 'Bipolar disorder',
    conditionCode: 'F31',
    description: 'Living with bipolar disorder: routines, relationships, medication, hope.',
    visibility: 'public',
    joinPolicy: 'approval',
    moderator: 'nurse_ines',
    members: ['quiet_reader', 'sam_ibd'],
    threads: [
      {
        author: 'sam_ibd',
        title: 'Keeping a sleep routine when life gets busy',
        body: 'Sleep is my early-warning sign. What helps you protect it?',
        replies: [
          {
            author: 'nurse_ines',
            body: 'A fixed wake-up time, even at weekends, is a common anchor.',
          },
        ],
      },
    ],
  },
];
