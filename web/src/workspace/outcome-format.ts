/** Legal outcomes as the workspace's charts and lists name and order them. */

export const outcomeLabel = (o: string) => o.replace(/_/g, ' ');

/** Most serious first; baseline: the INTERPOL baseline criteria are met. */
export const outcomeOrder = ['baseline', 'national_illegal', 'other_offence', 'uncertain', 'not_illegal'];
