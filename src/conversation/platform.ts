export type Platform = 'teams' | 'slack' | 'playground';
