// The demo shop's page script: sets up the Call Me button with what the
// shop knows about the visitor. It stands for what a real shop does:
//
//   1. its backend tells the page where the gateway is and which button to
//      use (GET /shop/api/config, filled in by callgate-mgmt from the
//      configuration in the demo);
//   2. before each call the widget asks the shop's backend for a token
//      (POST /shop/api/token); the backend asks the Callgate REST API for
//      a short-lived token bound to the button and this context. The
//      browser never chooses a destination, and never signs anything.
//
// The page's facts come from data- attributes of <body> (no inline script:
// the pages are served with a Content-Security-Policy of script-src 'self').
(function() {
  'use strict';

  var facts = document.body.dataset;

  // What the call centre sees when it answers: customer and order on the
  // order page, the product on the product page. Data values are strings.
  function callContext() {
    if (facts.page === 'order') {
      return {
        customer_id: facts.customer,
        order_id: facts.order,
        data: {basket: facts.basket, total: facts.total, status: facts.status},
      };
    }
    return {data: {product: facts.product, sku: facts.sku, price: facts.price}};
  }

  function getJson(response) {
    if (!response.ok) throw new Error(response.url + ': HTTP ' + response.status);
    return response.json();
  }

  function start(config) {
    var context = callContext();
    window.shopCallme = window.Callme.init({
      server: config.websocket_url,
      button: config.button,
      context: context,
      getToken: function() {
        var request = {button: config.button};
        Object.keys(context).forEach(function(key) {
          request[key] = context[key];
        });
        return fetch('/shop/api/token', {
          method: 'POST',
          credentials: 'same-origin',
          headers: {'Content-Type': 'application/json', 'Accept': 'application/json'},
          body: JSON.stringify(request),
        }).then(getJson).then(function(body) {
          return body.token;
        });
      },
    });
  }

  if (!window.Callme) {
    console.error('shop: the Call Me widget (/callme/callme.js) did not load');
    return;
  }
  fetch('/shop/api/config', {credentials: 'same-origin', headers: {'Accept': 'application/json'}})
      .then(getJson)
      .then(start)
      .catch(function(e) {
        console.error('shop: cannot set up the call button: ' + e.message);
      });
})();
