// The tabs of evaluation scroll sideways on a phone: bring the current one into view (without moving the page).
document.querySelectorAll(".wmh-eval-tabs").forEach((list) => {
  const current = list.querySelector(".active");
  if (current) {
    const offset = current.getBoundingClientRect().left - list.getBoundingClientRect().left;
    list.scrollLeft += offset - (list.clientWidth - current.offsetWidth) / 2;
  }
});
