// Chapter links on an episode page are media-fragment links (audio.mp3#t=120) that
// open the audio at that time without script. With script, they seek the page's
// player instead and start playing there.
"use strict";

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-seek]");
  if (!link) return;
  const player = document.getElementById(link.dataset.player);
  const seconds = Number(link.dataset.seek);
  if (!player || !Number.isFinite(seconds)) return;
  event.preventDefault();
  const seek = () => { player.currentTime = seconds; };
  // With preload="none" the player knows nothing yet: seek once metadata arrives.
  if (player.readyState >= HTMLMediaElement.HAVE_METADATA) seek();
  else player.addEventListener("loadedmetadata", seek, { once: true });
  player.play().catch(() => { /* autoplay refused: the player is still positioned */ });
  player.focus();
});

// The feed's address is a plain link (a podcast app takes it pasted). Where the page
// may write to the clipboard, a button next to it copies the address.
if (navigator.clipboard && window.isSecureContext) {
  for (const link of document.querySelectorAll("a[data-copy]")) {
    const button = document.createElement("button");
    const status = document.createElement("span");
    button.type = "button";
    button.className = "copy";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy the feed address");
    status.setAttribute("role", "status");
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(link.href).then(
        () => { status.textContent = " Copied."; },
        () => { status.textContent = " Select the address to copy it."; });
    });
    link.after(button, status);
  }
}
