/**
 * Crisis language (suicidal intent, self-harm), matched on normalised words (see normalise.ts:
 * "don't" is read as "do not"). Kept as a module, not JSON, so the built app carries it.
 * Each entry is a regular expression over space-separated words; `\b` is not needed.
 */
export const CRISIS_PHRASES: string[] = [
  '(want|wanna|wanted|going|plan|planning|ready|deserve|trying|tried) to die',
  'wish (i|that i) (was|were) (dead|never born|gone)',
  'wish i could (die|disappear forever|go to sleep and never wake up)',
  '(kill|killing|killed|hang|hanging|drown|shoot) myself',
  '(end|ending|ended|take|taking) (my|my own) life',
  'take my own life',
  'end it all',
  'end it (tonight|today|now|soon)',
  '(commit|committing|attempt|attempted|attempting) suicide',
  'suicidal',
  'suicide (note|plan|attempt)',
  '(thinking|thoughts|thought) (about|of) (suicide|dying|ending it|killing myself)',
  '(no|any) (reason|point) (to|in) (live|living|going on|being alive)',
  'nothing (left )?to live for',
  'better off (without me|dead|if i was gone|if i were gone)',
  '(hurt|hurting|harm|harming|cut|cutting|burn|burning|punish) myself',
  'self (harm|harming|harmed|injury)',
  '(took|taken|take|swallowed|swallow) (all|all of) my (pills|tablets|meds|medication)',
  'overdose on purpose',
  '(do|does|did) not want to (live|be alive|exist|wake up|be here) any ?more',
  '(do|did) not want to (live|be alive|exist|wake up)',
  'can not (go on|do this) any ?(more|longer)',
  'can not go on',
  'not want to be here any ?more',
  'want (it all|everything) to (end|stop) (forever|for good|permanently)',
  'this is (my|the) (goodbye|last message)',
  'saying goodbye (to everyone|forever)',
  'no longer want to (live|be alive|exist)',
];

/** Words that, shortly before a phrase, deny it ("I'm not going to kill myself"). */
export const CRISIS_NEGATIONS = ['not', 'never', 'nobody', 'nor'];
/** How many words before a phrase a negation reaches. */
export const NEGATION_WINDOW = 3;

/** Other senses of crisis words, removed before matching ("dying to know", "to die for"). */
export const CRISIS_FALSE_FRIENDS: string[] = [
  '(kill|killing|killed) myself (laughing|with laughter)',
  'die (of|from) (embarrassment|laughter|laughing|shame|boredom|curiosity)',
  '(dying|die) to (know|see|try|hear|meet|find out)',
  'to die for',
  '(would|could|will) die for (my|our|the|him|her|them)',
  'the (cold|heat|pain|wait|suspense) is killing me',
  '(it|this|that|pain|wait) (is|was) killing me',
  '(hurt|cut|burn|burned|burnt) myself (cooking|shaving|on|in the|with the|while|by accident|accidentally)',
  '(accidentally|nearly|almost) (hurt|cut|burned|burnt) myself',
  'suicide (prevention|awareness|helpline|hotline|rates?|risk)',
  'self harm (awareness|support group|charity|services)',
];
