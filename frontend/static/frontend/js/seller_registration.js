// Seller registration: the regions and trades offered follow the chosen country. Without this script
// the lists are grouped by country and the server refuses a mismatch.
(function () {
  "use strict";
  var country = document.querySelector("form select[name=country]");
  if (!country) { return; }
  var region = document.querySelector("select[name=region]");
  var trades = Array.prototype.slice.call(document.querySelectorAll("input[name=trades][data-country]"));

  function follow() {
    var chosen = country.value;
    if (region) {
      region.querySelectorAll("option[data-country]").forEach(function (option) {
        var other = option.getAttribute("data-country") !== chosen;
        option.hidden = other;
        option.disabled = other;
        if (other && option.selected) { region.value = ""; }
      });
      region.querySelectorAll("optgroup").forEach(function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
    }
    var groups = [];
    trades.forEach(function (input) {
      var other = input.getAttribute("data-country") !== chosen;
      var item = input.closest("label").parentNode;
      item.hidden = other;
      input.disabled = other;
      if (other) { input.checked = false; }
      if (groups.indexOf(item.parentNode) < 0) { groups.push(item.parentNode); }
    });
    // A country's group of trades is hidden with all its options.
    groups.forEach(function (group) {
      group.hidden = !group.querySelector("input[data-country]:not([disabled])");
    });
  }

  country.addEventListener("change", follow);
  follow();
})();
