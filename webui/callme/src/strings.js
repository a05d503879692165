// Every text the widget shows, in the built-in languages. A shop overrides any
// of them with Callme.init({strings: {...}}); `reasons` holds the messages
// for why a call did not happen or ended, keyed by the data-reason value.

const en = {
  label: 'Call us',
  connecting: 'Connecting…',
  ringing: 'Ringing…',
  inCall: 'In call',
  ended: 'Call ended',
  callAgain: 'Call again',
  hangUp: 'Hang up',
  cancel: 'Cancel call',
  mute: 'Mute',
  unmute: 'Unmute',
  keypad: 'Keypad',
  hideKeypad: 'Hide keypad',
  cameraOff: 'Camera off',
  cameraOn: 'Camera on',
  close: 'Close',
  duration: 'Call duration',
  digit: 'Key {digit}',
  sent: 'Sent {digit}',
  otherTab: 'You are in a call in another tab',
  closed: 'We are closed right now.',
  panel: 'Call',
  reasons: {
    'completed': 'Call ended',
    'denied-microphone':
      'Your browser did not allow the microphone. Allow it for this site and call again.',
    'no-microphone': 'No microphone was found. Connect one and call again.',
    'no-answer': 'Nobody answered. Please try again later.',
    'busy': 'All our lines are busy. Please try again in a moment.',
    'network': 'The connection was lost. Check your network and call again.',
    'token-expired': 'This page has been open too long. Please call again.',
    'token-invalid': 'The call could not be authorised. Please reload the page.',
    'token-required': 'The call could not be authorised. Please reload the page.',
    'origin-not-allowed': 'Calls from this website are not allowed.',
    'unknown-button': 'This call button is not set up.',
    'button-disabled': 'This call button is switched off.',
    'callme-disabled': 'Calls from the website are switched off.',
    'too-many-calls': 'Too many calls right now. Please try again in a minute.',
    'closed': 'We are closed right now.',
    'unavailable': 'Our call centre is unavailable. Please try again later.',
    'failed': 'The call could not be made. Please try again.',
  },
};

const de = {
  label: 'Rufen Sie uns an',
  connecting: 'Verbinde…',
  ringing: 'Es klingelt…',
  inCall: 'Im Gespräch',
  ended: 'Gespräch beendet',
  callAgain: 'Erneut anrufen',
  hangUp: 'Auflegen',
  cancel: 'Anruf abbrechen',
  mute: 'Stumm',
  unmute: 'Ton an',
  keypad: 'Tastenfeld',
  hideKeypad: 'Tastenfeld ausblenden',
  cameraOff: 'Kamera aus',
  cameraOn: 'Kamera an',
  close: 'Schließen',
  duration: 'Gesprächsdauer',
  digit: 'Taste {digit}',
  sent: '{digit} gesendet',
  otherTab: 'Sie telefonieren bereits in einem anderen Tab',
  closed: 'Wir sind gerade nicht erreichbar.',
  panel: 'Anruf',
  reasons: {
    'completed': 'Gespräch beendet',
    'denied-microphone':
      'Ihr Browser hat das Mikrofon nicht freigegeben. ' +
      'Erlauben Sie es für diese Seite und rufen Sie erneut an.',
    'no-microphone': 'Kein Mikrofon gefunden. Schließen Sie eines an und rufen Sie erneut an.',
    'no-answer': 'Niemand hat abgenommen. Bitte versuchen Sie es später noch einmal.',
    'busy': 'Alle Leitungen sind belegt. Bitte versuchen Sie es gleich noch einmal.',
    'network': 'Die Verbindung wurde unterbrochen. Prüfen Sie Ihr Netz und rufen Sie erneut an.',
    'token-expired': 'Diese Seite ist schon zu lange geöffnet. Bitte rufen Sie erneut an.',
    'token-invalid': 'Der Anruf konnte nicht freigegeben werden. Bitte laden Sie die Seite neu.',
    'token-required': 'Der Anruf konnte nicht freigegeben werden. Bitte laden Sie die Seite neu.',
    'origin-not-allowed': 'Anrufe von dieser Website sind nicht erlaubt.',
    'unknown-button': 'Diese Anruftaste ist nicht eingerichtet.',
    'button-disabled': 'Diese Anruftaste ist ausgeschaltet.',
    'callme-disabled': 'Anrufe von der Website sind ausgeschaltet.',
    'too-many-calls': 'Gerade gibt es zu viele Anrufe. Bitte versuchen Sie es in einer Minute.',
    'closed': 'Wir sind gerade nicht erreichbar.',
    'unavailable': 'Unser Callcenter ist nicht erreichbar. Bitte versuchen Sie es später.',
    'failed': 'Der Anruf ist nicht zustande gekommen. Bitte versuchen Sie es noch einmal.',
  },
};

const fr = {
  label: 'Appelez-nous',
  connecting: 'Connexion…',
  ringing: 'Ça sonne…',
  inCall: 'En communication',
  ended: 'Appel terminé',
  callAgain: 'Rappeler',
  hangUp: 'Raccrocher',
  cancel: 'Annuler l’appel',
  mute: 'Couper le micro',
  unmute: 'Rétablir le micro',
  keypad: 'Clavier',
  hideKeypad: 'Masquer le clavier',
  cameraOff: 'Caméra désactivée',
  cameraOn: 'Caméra activée',
  close: 'Fermer',
  duration: 'Durée de l’appel',
  digit: 'Touche {digit}',
  sent: '{digit} envoyé',
  otherTab: 'Vous êtes déjà en communication dans un autre onglet',
  closed: 'Nous sommes fermés pour le moment.',
  panel: 'Appel',
  reasons: {
    'completed': 'Appel terminé',
    'denied-microphone':
      'Votre navigateur n’a pas autorisé le micro. Autorisez-le pour ce site et rappelez.',
    'no-microphone': 'Aucun micro n’a été trouvé. Branchez-en un et rappelez.',
    'no-answer': 'Personne n’a répondu. Veuillez réessayer plus tard.',
    'busy': 'Toutes nos lignes sont occupées. Veuillez réessayer dans un instant.',
    'network': 'La connexion a été perdue. Vérifiez votre réseau et rappelez.',
    'token-expired': 'Cette page est ouverte depuis trop longtemps. Veuillez rappeler.',
    'token-invalid': 'L’appel n’a pas pu être autorisé. Veuillez recharger la page.',
    'token-required': 'L’appel n’a pas pu être autorisé. Veuillez recharger la page.',
    'origin-not-allowed': 'Les appels depuis ce site ne sont pas autorisés.',
    'unknown-button': 'Ce bouton d’appel n’est pas configuré.',
    'button-disabled': 'Ce bouton d’appel est désactivé.',
    'callme-disabled': 'Les appels depuis le site sont désactivés.',
    'too-many-calls': 'Trop d’appels en ce moment. Veuillez réessayer dans une minute.',
    'closed': 'Nous sommes fermés pour le moment.',
    'unavailable': 'Notre centre d’appels est indisponible. Veuillez réessayer plus tard.',
    'failed': 'L’appel n’a pas abouti. Veuillez réessayer.',
  },
};

export const LANGUAGES = {en, de, fr};

// "de-AT" finds "de"; an unknown language falls back to English.
export function baseLanguage(tag) {
  const base = String(tag || '').toLowerCase().split(/[-_]/)[0];
  return Object.prototype.hasOwnProperty.call(LANGUAGES, base) ? base : 'en';
}

// The strings for `language` with the shop's `overrides` on top. Only
// string values replace built-in ones, so a typo cannot break the widget.
export function makeStrings(language, overrides) {
  const base = LANGUAGES[baseLanguage(language)];
  const out = Object.assign({}, base, {reasons: Object.assign({}, base.reasons)});
  if (!overrides || typeof overrides !== 'object') return out;
  for (const [key, value] of Object.entries(overrides)) {
    if (key === 'reasons' && value && typeof value === 'object') {
      for (const [reason, text] of Object.entries(value)) {
        if (typeof text === 'string') out.reasons[reason] = text;
      }
    } else if (typeof value === 'string' && key !== 'reasons') {
      out[key] = value;
    }
  }
  return out;
}

// "Key {digit}" with {digit: '5'} -> "Key 5".
export function format(text, values) {
  return String(text).replace(/\{(\w+)\}/g, (all, name) =>
    Object.prototype.hasOwnProperty.call(values || {}, name) ? String(values[name]) : all);
}

// The message for a reason id. A "Closed: <message>" refusal shows the
// button's own closed message rather than the generic one.
export function reasonText(strings, reason, detail) {
  if (reason === 'closed' && detail) return detail;
  return strings.reasons[reason] || strings.reasons.failed;
}
