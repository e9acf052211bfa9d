document.getElementById("root").textContent = "gateway-test-bundle";
