/** Italian, the first language of the UI. Keys are shared with en.ts (checked by type). */
export const it = {
  app: {
    name: 'Sportello',
    loading: 'Caricamento…',
  },
  env: {
    prova: 'Prova',
    sandbox: 'Sandbox',
    produzione: 'Produzione',
  },
  home: {
    title: 'Benvenuto allo sportello',
    services: '{{count}} servizi disponibili',
  },
  errors: {
    unauthorized: 'La chiave API non è valida o è scaduta: controllatela in Impostazioni.',
    insufficient_credit:
      'Credito insufficiente sul conto Openapi (saldo: {{balance}}). Ricaricate e riprovate.',
    validation_failed: 'I dati non sono stati accettati: {{message}}',
    not_found: 'Elemento non trovato sul servizio.',
    already_closed: 'La pratica risulta già inviata.',
    not_yet_available: 'Il documento non è ancora pronto: riprovate più tardi.',
    conflict: 'Operazione non consentita per questa pratica.',
    server_error: 'Il servizio Openapi ha un problema temporaneo: riprovate tra qualche minuto.',
    bad_response:
      'Il servizio ha risposto in modo inatteso: riprovate; se succede ancora avvisate l’assistenza.',
    network: 'Nessuna connessione con il servizio: controllate la rete e riprovate.',
    timeout: 'Il servizio non ha risposto in tempo: riprovate.',
    invalid_argument: 'Dati non validi: {{message}}',
    no_api_key: 'Manca la chiave API per questo ambiente: inseritela in Impostazioni.',
    vault_unavailable: 'La chiave API salvata non è leggibile: inseritela di nuovo in Impostazioni.',
    price_changed:
      'Il prezzo è cambiato rispetto a quello confermato: ricontrollatelo e confermate di nuovo.',
    service_changed: 'Il servizio è stato modificato da Openapi: ricontrollate il modulo.',
    file_type: 'Tipo di file non accettato: usate PDF, JPEG, PNG, WebP, TIFF o HEIC.',
    file_too_large: 'File troppo grande: {{message}}',
    budget_exceeded: 'Gli allegati superano la dimensione massima della pratica: {{message}}',
    unsafe_archive: 'Il documento ricevuto non è sicuro e non è stato salvato.',
    draft_not_found: 'Bozza non trovata: forse è già stata inviata o eliminata.',
    request_not_found: 'Pratica non trovata.',
    not_allowed: 'Operazione non consentita.',
    scanner_unavailable: 'Scanner non disponibile: {{message}}',
    internal: 'Errore interno: il dettaglio è nel registro.',
  },
};

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
export type Messages = Shape<typeof it>;
