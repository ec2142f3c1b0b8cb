/**
 * Words that say nothing about which part of the procedure a question is about. They are left
 * out of topic matching (the immediate-risk check still reads every word).
 */
export const stopwords: ReadonlySet<string> = new Set(
  `a about above after again against all am an and any are as at be because been before being below between
  both but by can could did do does doing done down during each few for from further had has have having he her
  here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not of
  off on once only or other our ours ourselves out over own same she should so some such than that the their
  theirs them themselves then there these they this those through to too under until up very was we were what
  when where which while who whom why will with would you your yours yourself yourselves
  im ive id youre theyre hes shes thats whats wheres whos dont doesnt didnt cant couldnt wont wouldnt shouldnt
  isnt arent wasnt werent hasnt havent hadnt lets ok okay please hi hello hey thanks thank also get got
  gets getting go going gone went want wants wanted need needs needed know knows think thinks thought
  say says said tell tells told ask asks asked really just like thing things something anything someone
  anyone somebody anybody one two much many lot lots bit way may might must shall would could yes yeah
  u ur r im ya pls plz thx tho though etc eg ie re via per
  year years yr yrs old olds aged age`
    .split(/\s+/)
    .filter(Boolean),
);
