// The devices page: "Turn on notifications on this device" asks the browser's permission,
// subscribes the service worker to Web Push with the site's public key and sends the
// subscription to the server; "Turn off" undoes both. Messages come translated from the
// page (data-msg-*). Without JavaScript the page still lists and removes devices.
"use strict";
(() => {
  function keyBytes(base64url) {
    const base64 = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4))
      .replace(/-/g, "+")
      .replace(/_/g, "/");
    return Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
  }

  function post(section, url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": section.dataset.csrf },
      body: JSON.stringify(body),
    }).then((response) =>
      response.json().then((data) => {
        // The server's reason is translated: it is shown as it is.
        if (!response.ok) throw Object.assign(new Error(data.error || ""), { fromServer: true });
        return data;
      }),
    );
  }

  function start(section) {
    const on = section.querySelector("[data-push-on]");
    const off = section.querySelector("[data-push-off]");
    const status = section.querySelector("[data-push-status]");
    section.querySelector("[data-push-nojs]").hidden = true;
    const supported =
      "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
    if (!supported) {
      section.querySelector("[data-push-unsupported]").hidden = false;
      return;
    }
    const say = (text) => { status.textContent = text; };
    const markThisDevice = (id) => {
      document.querySelectorAll("[data-device-id]").forEach((row) => {
        const mine = String(id) === row.dataset.deviceId;
        row.classList.toggle("this-device", mine);
        const heading = row.querySelector("h3");
        if (mine && heading && !heading.querySelector(".badge")) {
          const badge = document.createElement("span");
          badge.className = "badge";
          badge.textContent = section.dataset.msgThisDevice;
          heading.append(" ", badge);
        }
      });
    };
    const show = (subscribed) => {
      on.hidden = subscribed;
      off.hidden = !subscribed;
    };

    navigator.serviceWorker.register(section.dataset.serviceWorker, { scope: "/" });
    navigator.serviceWorker.ready.then((registration) =>
      registration.pushManager.getSubscription().then((subscription) => {
        show(Boolean(subscription));
        // Sent again on each visit: the server's copy follows a subscription the
        // browser renewed, or one it dropped after the push service said it was gone.
        if (subscription) {
          post(section, section.dataset.subscribeUrl, subscription.toJSON())
            .then((data) => markThisDevice(data.id))
            .catch(() => {});
        }
      }),
    );

    on.addEventListener("click", async () => {
      on.disabled = true;
      try {
        const permission = await Notification.requestPermission();
        if (permission !== "granted") {
          say(section.dataset.msgDenied);
          return;
        }
        const registration = await navigator.serviceWorker.ready;
        const key = await fetch(section.dataset.keyUrl).then((response) => response.json());
        const subscription = await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(key.publicKey),
        });
        await post(section, section.dataset.subscribeUrl, subscription.toJSON());
        say(section.dataset.msgOn);
        window.location.reload();
      } catch (error) {
        say(error.fromServer && error.message ? error.message : section.dataset.msgFailed);
      } finally {
        on.disabled = false;
      }
    });

    off.addEventListener("click", async () => {
      off.disabled = true;
      try {
        const registration = await navigator.serviceWorker.ready;
        const subscription = await registration.pushManager.getSubscription();
        if (subscription) {
          await post(section, section.dataset.unsubscribeUrl, { endpoint: subscription.endpoint });
          await subscription.unsubscribe();
        }
        say(section.dataset.msgOff);
        window.location.reload();
      } catch (error) {
        say(section.dataset.msgFailed);
      } finally {
        off.disabled = false;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-push]").forEach(start);
  });
})();
