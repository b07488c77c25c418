import type { ClerkState } from '../../common/request-states.ts';
import type { Messages } from './it.ts';

const STATES: Record<ClerkState, string> = {
  bozza: 'Draft',
  in_invio: 'Sending',
  da_verificare: 'To check',
  in_lavorazione: 'In progress',
  pronta: 'Ready',
  completata: 'Completed',
  annullata: 'Cancelled',
  respinta: 'Refused',
};

export const en: Messages = {
  app: {
    name: 'Sportello',
    loading: 'Loading…',
  },
  env: {
    prova: 'Trial',
    sandbox: 'Sandbox',
    produzione: 'Production',
  },
  common: { retry: 'Retry', back: 'Back' },
  layout: {
    provaBanner:
      'Trial environment: a simulated service. Requests are not really sent, outputs are samples and the credit going down is trial credit.',
    provaBannerShort: 'Trial: simulated service, sample outputs, trial credit.',
    navigation: 'Navigation',
    notFound: 'This page does not exist.',
    screenFailed: 'This screen did not load. Try again; if it happens again, restart Sportello.',
    toHome: 'Go to Home',
    credit: 'Credit: {{amount}}',
  },
  nav: { home: 'Home', new: 'New request', requests: 'Requests', settings: 'Settings' },
  home: {
    title: 'Today at the counter',
    services: '{{count}} services available',
    attention: 'Needs attention',
    inProgress: 'In progress',
    doneToday: 'Completed today',
    drafts: 'Drafts',
    draftNeedsCheck: 'to check',
    noneInProgress: 'No requests in progress.',
    noneDoneToday: 'No requests completed today.',
    credit: 'Openapi credit: {{amount}}',
    creditFromWallet: 'read from the account {{when}}',
    creditFromError: 'balance Openapi reported {{when}}, when the credit was not enough',
  },
  refusedPaths: {
    title: 'Invalid path in the register',
    text: '{{what}}: the register names a file outside Sportello’s folders on this computer ({{why}}). Sportello did not open, check or delete it. Whoever manages the office register should check who changed row {{id}}.',
    openRequest: 'Open the request',
    what: {
      documents: 'A document of a request',
      attachments: 'A scan of a draft',
      client_files: 'A client’s document on file',
      requests: 'The documents folder of a request',
    },
    why: {
      absolute: 'an absolute path',
      drive: 'another drive',
      unc: 'a network path',
      parent: 'a path climbing out of its folder',
      nul: 'an invalid character',
      colon: 'an invalid character',
      device: 'a Windows device',
      outside: 'a link leading out of the folder',
      misplaced: 'a file of another request',
    },
  },
  state: STATES,
  picker: {
    title: 'New request: choose the service',
    placeholder: 'Search a service (congedo, ISEE…), or a client by surname or tax code',
    placeholderService: 'Search a service for this client (congedo, ISEE…)',
    clients: 'Clients',
    services: 'Services',
    keysMove: 'to move',
    keysPick: 'to choose',
    none: 'No service matches.',
    recent: 'recently used',
    favourite: 'Add to favourites',
    unfavourite: 'Remove from favourites',
  },
  settings: {
    title: 'Settings',
    save: 'Save',
    saved: 'Settings saved.',
    language: 'Language',
    apiKeys: 'Openapi credentials',
    test: 'Test connection',
    scopesAll: 'The token has every permission needed.',
    scopeBlocks: {
      'GET /visure': 'without GET /visure the catalog cannot be read',
      'GET /richiesta': 'without GET /richiesta requests cannot be followed',
      'POST /richiesta': 'without POST /richiesta requests cannot be sent',
      'PUT /richiesta': 'without PUT /richiesta open requests cannot be closed (paid)',
      'DELETE /richiesta': 'without DELETE /richiesta requests cannot be cancelled',
      'GET /documento': 'without GET /documento documents cannot be downloaded',
    },
    walletNoKey:
      'Account credit and transactions unavailable: a token alone cannot read them, the email and API key can.',
  },
  errors: {
    unauthorized:
      'Openapi did not accept the credentials (token expired or revoked, wrong email or API key): check them in Settings with “Test connection”.',
    forbidden: 'The token lacks the permission for this: “Test connection” in Settings says which one.',
    insufficient_credit: 'Not enough credit on the Openapi account (balance: {{balance}}). Top up and retry.',
    spending_cap:
      'Spending cap reached for this counter: Openapi refused the request and charged nothing. Raise the cap in Settings › Openapi credentials, then retry.',
    scope_missing:
      'Not attempted: the Openapi account lacks the permission {{scope}} ({{blocks}}). Enable it in the Openapi console, then press “Test connection” in Settings.',
    validation_failed: 'The data was not accepted: check the form and retry.',
    not_found: 'Not found on the service.',
    already_closed: 'The request was already submitted.',
    not_yet_available: 'The document is not ready yet: try again later.',
    conflict: 'Not allowed for this request.',
    server_error: 'The Openapi service has a temporary problem: retry in a few minutes.',
    bad_response: 'The service answered unexpectedly: retry; if it happens again tell support.',
    network: 'No connection to the service: check the network and retry.',
    timeout: 'The service did not answer in time: retry.',
    invalid_argument: 'Invalid data: check the form and retry.',
    no_api_key:
      'No Openapi credentials for this environment: add the email and API key (or a token) in Settings.',
    scopes_unavailable:
      'Openapi grants this account no permission for requests in this environment: enable the CAF and Patronato requests API in the Openapi console.',
    vault_unavailable: 'The saved credentials cannot be read: enter them again in Settings.',
    price_changed: 'The price changed since you confirmed it: check it and confirm again.',
    service_changed: 'Openapi changed the service: check the form again.',
    file_type: 'This file cannot be used: attach a PDF or a photo of the document.',
    file_too_large: 'The file is too large: scan it again at 200 dpi.',
    budget_exceeded:
      'The attachments exceed the size allowed for a request: scan the heaviest again at 200 dpi.',
    unsafe_archive: 'The document received is not safe and was not saved.',
    draft_not_found: 'Draft not found: it may have been sent or deleted.',
    request_not_found: 'Request not found.',
    not_allowed: 'Not allowed.',
    path_not_granted:
      'Sportello reads only the files you drop or choose: drop the file on the request again.',
    register_path_refused:
      'The register places this file outside Sportello’s folders: it was not opened. It is listed on Home under “Needs attention”.',
    not_confirmed: 'Change cancelled: it was not confirmed in Sportello’s dialog.',
    office_password_bound:
      'The saved password is valid only for the server {{host}}:{{port}} (database “{{database}}”, user “{{user}}”, {{tls}}): type it again.',
    office_password_unbound: 'The saved password does not say which server it is for: type it again.',
    documents_not_granted:
      'This counter has no access yet to the documents on file: ask a colleague to grant it from Settings → Office.',
    scanner_unavailable: 'Scanner unavailable: check that it is on and connected, then retry.',
    uncertain:
      'We do not know yet whether the request arrived: it is checked with Openapi before anything is sent again, never charged twice. Press Retry in its detail page.',
    internal: 'Internal error: details are in the log.',
  },
};
