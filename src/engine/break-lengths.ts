/**
 * The break lengths Pause offers, on every surface (Discord's menu, the playground's list): 20
 * minutes to 24 hours, as PRODUCT.md asks, or no set time (0). One list, so a couple trying the
 * playground is offered exactly the breaks the bot offers.
 */
export const BREAKS = [
  { value: '20', label: '20 minutes', minutes: 20 },
  { value: '60', label: 'An hour', minutes: 60 },
  { value: '180', label: 'Three hours', minutes: 180 },
  { value: '720', label: 'Until later today (12 hours)', minutes: 720 },
  { value: '1440', label: 'Until tomorrow (24 hours)', minutes: 1440 },
  { value: '0', label: 'No set time — we’ll pick it up', minutes: 0 },
] as const;
