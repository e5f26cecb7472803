// The Follow-ups screen loads on first visit (precached, so offline too), out of the start-up shell.
export async function showFollowups() {
  return (await import('./followup-list.js')).showFollowups();
}
