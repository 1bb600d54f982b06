console.log("explore")
